import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from portal.uploads import check_upload

from .models import Role

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


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class DocumentUploadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    file = forms.FileField(
        label=_("File"),
        help_text=_("Allowed file types: %(types)s")
        % {"types": ", ".join(settings.WAGTAILDOCS_EXTENSIONS)},
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        check_upload(file)  # the same check as the public submission form's
        return file


class JoinRequestForm(forms.Form):
    message = message_field(
        _("Message to the coordinator"),
        _("Tell the coordinator who you are and why you want to join."),
    )
