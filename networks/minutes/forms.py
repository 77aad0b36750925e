from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from portal.organisations import CurrentOrganisationChoices

MAX_APPROVERS = 2


def network_members(network_id):
    """People who may be named in minutes: the network's active members."""
    from networks.models import Membership

    member_ids = Membership.objects.active().filter(network_id=network_id).values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=member_ids, is_active=True)
        .order_by("first_name", "last_name", "email")
    )


def _with_owner_queryset(form_class, queryset):
    class ActionItemForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["owner"].queryset = queryset

    return ActionItemForm


class MinutesPageForm(CurrentOrganisationChoices, WagtailAdminPageForm):
    """People in minutes are chosen among the network's members, never the whole user register."""

    @staticmethod
    def people_widget():
        return forms.CheckboxSelectMultiple

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from networks import access

        anchor = self.instance if self.instance.pk else self.parent_page
        network_id = access.network_id_for_page(anchor) if anchor is not None else None
        members = network_members(network_id)
        for name in ("present_members", "apologies", "approvers"):
            field = self.fields[name]
            # Former members named in earlier minutes stay choosable in those minutes.
            current = [user.pk for user in getattr(self.instance, name).all()]
            field.queryset = (
                members | field.queryset.model.objects.filter(pk__in=current)
            ).distinct()
        formset = self.formsets.get("action_items")
        if formset is not None:
            formset.form = _with_owner_queryset(formset.form, members)
        self.author = self.instance.owner if self.instance.pk else getattr(self, "for_user", None)

    def clean(self):
        cleaned = super().clean()
        approvers = list(cleaned.get("approvers") or [])
        present = set(cleaned.get("present_members") or [])
        if len(approvers) > MAX_APPROVERS:
            self.add_error("approvers", _("Name one or two approvers."))
        if any(approver not in present for approver in approvers):
            self.add_error("approvers", _("Approvers must be among those present."))
        if self.author is not None and self.author in approvers:
            self.add_error("approvers", _("The author cannot approve their own minutes."))
        if "action-submit" in self.data and not approvers:
            self.add_error("approvers", _("Name one or two approvers before submitting."))
        if self.instance.pk and self.instance.first_published_at and self._publishing():
            self._require_change_note()
        return cleaned

    def _publishing(self) -> bool:
        # Publishing a correction directly, or sending it to the approvers again.
        return "action-publish" in self.data or "action-submit" in self.data

    def _require_change_note(self):
        """Approved minutes change only with a new, visible change note."""
        formset = self.formsets["corrections"]
        from .models import MinutesCorrection

        # The published corrections are the rows in the database (a live page's edits stay in
        # revisions until they are published).
        live_ids = set(
            MinutesCorrection.objects.filter(page_id=self.instance.pk).values_list("pk", flat=True)
        )
        new_notes = [
            form
            for form in formset.forms
            if form.has_changed()
            and not form.cleaned_data.get("DELETE")
            and (form.instance.pk is None or form.instance.pk not in live_ids)
        ]
        if not new_notes:
            self.add_error(
                None,
                _(
                    "These minutes have been approved and published. Add a correction note that "
                    "says what you changed before publishing again."
                ),
            )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment to the author"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_("Say what should be changed."),
    )


class ApproveForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    # The revision the approver read: an approval is of that text, never of a later one.
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
