from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
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
        sites = [
            s for s in Site.objects.order_by("site_name") if access.is_strategist(user, s.root_page)
        ]
        self.fields["site"].queryset = Site.objects.filter(pk__in=[s.pk for s in sites])
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
