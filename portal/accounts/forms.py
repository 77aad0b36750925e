from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.models import Organisation, User
from portal.organisations import CurrentOrganisationChoices


class ProfileForm(CurrentOrganisationChoices, forms.ModelForm):
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.LANGUAGES, required=True
    )

    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "organisation",
            "job_title",
            "phone",
            "preferred_language",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True


class SignupProfileForm(forms.Form):
    """Sign-up (always through an invitation) asks for what the member directory shows."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.current().order_by("name"),
        required=False,
    )
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.organisation = self.cleaned_data["organisation"]
        user.job_title = self.cleaned_data["job_title"]
        user.save(update_fields=["first_name", "last_name", "organisation", "job_title"])


class AccountDeleteForm(forms.Form):
    """Deleting an account cannot be undone: the password, and a tick that says so."""

    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(render_value=False)
    )
    understood = forms.BooleanField(
        label=_("I understand that my account and my data are deleted and cannot be restored.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."))
        return password
