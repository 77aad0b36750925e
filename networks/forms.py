import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from portal.uploads import check_upload

from .models import DigestFrequency, Role

MAX_INVITATIONS_AT_ONCE = 100


def message_field(label, help_text) -> forms.CharField:
    """An optional message of a few lines that goes with an e-mail."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=2000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("E-mail addresses"),
        help_text=_("One or many addresses, separated by new lines, commas or spaces."),
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)
    message = message_field(_("Personal message"), _("Shown in the invitation e-mail."))

    def clean_emails(self):
        addresses = [a for a in re.split(r"[\s,;]+", self.cleaned_data["emails"]) if a]
        invalid = []
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                invalid.append(address)
        if invalid:
            raise ValidationError(
                _("These are not e-mail addresses: %(list)s"), params={"list": ", ".join(invalid)}
            )
        if len(addresses) > MAX_INVITATIONS_AT_ONCE:
            raise ValidationError(
                _("Invite at most %(max)s addresses at a time."),
                params={"max": MAX_INVITATIONS_AT_ONCE},
            )
        return [a.lower() for a in addresses]


class DigestForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose never, daily or weekly.")},
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class FolderField(forms.ModelChoiceField):
    """A folder of one network's library, indented by depth; the top level is the collection."""

    def __init__(self, network, **kwargs):
        from .selectors import network_folders

        folders = network_folders(network)
        super().__init__(queryset=folders, empty_label=None, **kwargs)
        self.top_depth = folders[0].depth if folders else 0

    def label_from_instance(self, obj):
        if obj.depth == self.top_depth:
            return _("Top level")
        return "— " * (obj.depth - self.top_depth) + obj.name


class DocumentFileForm(forms.Form):
    """A file for the library: the same check as the public submission form's."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("Allowed file types: %(types)s")
        % {"types": ", ".join(settings.WAGTAILDOCS_EXTENSIONS)},
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        check_upload(file)
        return file


class DocumentUploadForm(DocumentFileForm):
    title = forms.CharField(label=_("Title"), max_length=255)
    field_order = ("title", "file", "folder")

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out, the document goes to the top level.
        self.fields["folder"] = FolderField(network, label=_("Folder"), required=False)


class FolderForm(forms.Form):
    name = forms.CharField(label=_("Name of the folder"), max_length=255)

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"] = FolderField(network, label=_("Inside"))

    def clean(self):
        cleaned = super().clean()
        name, parent = cleaned.get("name", "").strip(), cleaned.get("parent")
        if name and parent and parent.get_children().filter(name__iexact=name).exists():
            self.add_error("name", _("There is already a folder with this name there."))
        cleaned["name"] = name
        return cleaned


class JoinRequestForm(forms.Form):
    message = message_field(
        _("Message to the coordinator"),
        _("Tell the coordinator who you are and why you want to join."),
    )


class MembershipHistoryFilter(forms.Form):
    """The filters of a network's membership history; each may be left at "all"."""

    organisation = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )
    term = forms.ChoiceField(label=_("Term"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False)

    def __init__(self, data, *, organisations, terms):
        super().__init__(data)
        everyone = [("", _("All"))]
        self.fields["organisation"].choices = everyone + [(o.pk, o.name) for o in organisations]
        self.fields["term"].choices = everyone + [(t.code, t.code) for t in terms]
        self.fields["role"].choices = everyone + list(Role.choices)
