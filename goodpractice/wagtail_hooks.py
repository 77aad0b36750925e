from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
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
    and adding stay with those who hold Django's model permissions."""

    MODERATOR_ACTIONS = frozenset({"view", "change"})

    def user_has_permission(self, user, action):
        if action in self.MODERATOR_ACTIONS and selectors.may_moderate(user):
            return True
        return super().user_has_permission(user, action)


register_permission_policy(Submission, ModeratorPermissionPolicy(Submission))


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


@hooks.register("register_admin_viewset")
def register_submission_viewset():
    return SubmissionViewSet("practice_submissions")


@hooks.register("portal_housekeeping")
def purge_unconfirmed_submissions():
    return f"{submissions_purge_unconfirmed()} unconfirmed anonymous submissions deleted"
