from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic import EditView, IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.sites import current_site, site_index

from . import selectors
from .models import PracticeIndexPage, Submission
from .services import (
    account_erase,
    personal_data_export,
    submissions_purge_unconfirmed,
)


@hooks.register("portal_home_sections")
def latest_practices_section(request):
    index = site_index(PracticeIndexPage, current_site(request))
    if index is None:
        return None
    practices = list(selectors.latest_practices(catalogue=index))
    if not practices:
        return None
    return render_to_string(
        "goodpractice/home_section.html",
        {"practices": practices, "index": index},
        request=request,
    )


@hooks.register("portal_personal_sections")
def my_submissions_section(request):
    submissions = list(
        Submission.objects.filter(user=request.user).select_related("page").order_by("-created_at")
    )
    if not submissions:
        return None
    return render_to_string(
        "goodpractice/personal_section.html", {"submissions": submissions}, request=request
    )


@hooks.register("portal_personal_data")
def my_submissions_data(user):
    return personal_data_export(user=user)


@hooks.register("portal_account_erasure")
def erase_my_submissions(user):
    account_erase(user=user)


# Files sent in with a practice: decided by networks.access, which asks this rule.
hooks.register("portal_document_access", selectors.can_download_practice_file)


class ModeratorPermissionPolicy(ModelPermissionPolicy):
    """Moderators read and answer submissions (the list, the details, the status); deleting
    and adding stay with those who hold Django's model permissions. Moderation is per site: a
    site's moderators see the submissions to that site's catalogue only."""

    MODERATOR_ACTIONS = frozenset({"view", "change"})

    def user_has_permission(self, user, action):
        if action in self.MODERATOR_ACTIONS and selectors.may_moderate(user):
            return True
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        if action in self.MODERATOR_ACTIONS and selectors.may_moderate(user, instance.page):
            return True
        return super().user_has_permission(user, action)

    def instances_user_has_permission_for(self, user, action):
        if super().user_has_permission(user, action):
            return self.model.objects.all()
        if action in self.MODERATOR_ACTIONS:
            return selectors.moderated_submissions(user, self.model.objects.all())
        return self.model.objects.none()


register_permission_policy(Submission, ModeratorPermissionPolicy(Submission))


class SubmissionIndexView(IndexView):
    """The list holds what the user may read: a site's moderators, that site's submissions."""

    def get_base_queryset(self):
        readable = self.permission_policy.instances_user_has_permission_for(
            self.request.user, "view"
        )
        return super().get_base_queryset().filter(pk__in=readable.values("pk"))


class _OneSubmission:
    """Opening one submission asks the same per-site rule as the list."""

    def get_object(self, queryset=None):
        submission = super().get_object(queryset)
        user = self.request.user
        if not self.permission_policy.user_has_permission_for_instance(user, "view", submission):
            raise PermissionDenied
        return submission


class SubmissionEditView(_OneSubmission, EditView):
    pass


class SubmissionInspectView(_OneSubmission, InspectView):
    pass


class SubmissionViewSet(ModelViewSet):
    model = Submission
    icon = "form"
    menu_label = _("Submitted practices")
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["__str__", "name", "email", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "email"]
    form_fields = ["name", "email", "status", "moderator_message"]
    inspect_view_enabled = True
    index_view_class = SubmissionIndexView
    edit_view_class = SubmissionEditView
    inspect_view_class = SubmissionInspectView


@hooks.register("register_admin_viewset")
def register_submission_viewset():
    return SubmissionViewSet("practice_submissions")


@hooks.register("portal_housekeeping")
def purge_unconfirmed_submissions():
    return f"{submissions_purge_unconfirmed()} unconfirmed anonymous submissions deleted"
