from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Response


class RegistrationForm(forms.Form):
    """Registration for someone who is not logged in; the address is confirmed by e-mail."""

    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    needs = forms.CharField(
        label=_("Dietary or accessibility needs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown only to the organisers."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"


class NeedsForm(forms.Form):
    """One-click registration for a logged-in person, with an optional needs note."""

    needs = RegistrationForm.base_fields["needs"]


class ResponseForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Will you attend?"), choices=Response.choices, widget=forms.RadioSelect
    )
