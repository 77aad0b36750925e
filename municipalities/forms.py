from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import services


class ReportForm(forms.Form):
    """A municipality's figures for a reporting round: one field per key figure asked for."""

    reported_by = forms.CharField(label=_("Your name"), max_length=200)

    def __init__(self, *args, figure_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.figure_types = figure_types
        for figure_type in figure_types:
            self.fields[f"figure_{figure_type.pk}"] = forms.DecimalField(
                label=figure_type.name,
                help_text=" ".join(filter(None, [figure_type.definition, figure_type.unit])),
                required=False,
                max_digits=14,
                decimal_places=2,
                min_value=0,
            )

    def values(self) -> dict:
        return {t: self.cleaned_data.get(f"figure_{t.pk}") for t in self.figure_types}


class QuotaForm(WagtailAdminModelForm):
    """The admin's quota form: a distribution figure keeps its county's total (services.py)."""

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        requested = cleaned.get("requested")
        if organisation is None or not cleaned.get("year") or not cleaned.get("kind"):
            return cleaned
        changed = self.instance.pk is None or self.instance.requested != requested
        if changed:
            try:
                services.county_total_check(
                    county=organisation.county,
                    year=cleaned["year"],
                    kind=cleaned["kind"],
                    figures={organisation.pk: requested},
                )
            except services.CountyTotalChanged as refusal:
                self.add_error("requested", refusal)
        return cleaned
