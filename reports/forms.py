from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Site

from networks import access
from networks.models import NetworkPage
from portal.sites import site_pages_q

from .blocks import Figures


class GenerateForm(forms.Form):
    """Draft a report: the site (one where the person is a strategist), the year, its networks."""

    site = forms.ModelChoiceField(label=_("Region (site)"), queryset=Site.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    networks = forms.ModelMultipleChoiceField(
        label=_("Networks"),
        queryset=NetworkPage.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    steering_group = forms.ModelChoiceField(
        label=_("Steering group"), queryset=NetworkPage.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        sites = access.strategist_sites(user)
        self.fields["site"].queryset = sites
        networks = NetworkPage.objects.none()
        for site in sites:
            networks |= NetworkPage.objects.filter(site_pages_q(site))
        networks = networks.order_by("title")
        self.fields["networks"].queryset = networks
        self.fields["steering_group"].queryset = networks
        self.fields["year"].initial = timezone.localdate().year - 1


class TakeForm(forms.Form):
    sections = forms.MultipleChoiceField(
        label=_("Take the new figures of"),
        choices=[c for c in Figures.CHOICES if c[0] in Figures.COMPUTED],
        widget=forms.CheckboxSelectMultiple,
    )


class ExternalMeetingForm(WagtailAdminModelForm):
    """The admin's form for an external meeting: a strategist records them for the sites where
    they are one, and the form accepts no other (a site chosen from elsewhere is a field error)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "site" in self.fields:
            self.fields["site"].queryset = access.strategist_sites(self.for_user)
