import functools

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.models import Site

from networks import access
from networks.models import NetworkPage
from networks.selectors import site_people
from portal.organisations import chosen_pks
from portal.sites import all_sites, site_pages_q

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
    they are one, and the form accepts no other (a site chosen from elsewhere is a field error);
    the attendees offered are the people of those sites (networks/selectors.py `site_people`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sites = access.strategist_sites(self.for_user)
        if "site" in self.fields:
            self.fields["site"].queryset = sites
        if "attendees" in self.fields:
            roots = [site.root_path for site in all_sites() if site in sites]
            self.fields["attendees"].queryset = site_people(
                roots, chosen=chosen_pks(self.initial.get("attendees"))
            )


class QuoteChoices:
    """A form mixin for a report's quote rows: the answers offered are `quotable` (a queryset
    of the page form's `quotable_answers`, read once for every row), and a posted answer outside them is a
    field error. A row already quoting an answer this editor may not pick keeps it unchanged
    and does not name it."""

    def __init__(self, *args, quotable=None, **kwargs):
        super().__init__(*args, **kwargs)
        if quotable is None:
            return
        field = self.fields["answer"]
        field.error_messages["invalid_choice"] = _(
            "Choose a sent answer, which you may read, to a questionnaire of the report's "
            "year and site."
        )
        chosen = self.instance.answer_id
        if chosen and chosen not in {answer.pk for answer in quotable}:
            field.queryset = field.queryset.filter(pk=chosen)
            field.choices = [(chosen, _("An answer you may not choose (kept as it is)"))]
            field.disabled = True
            return
        field.queryset = quotable
        # The labels from the answers read once, not a query per row's select.
        field.choices = [("", field.empty_label), *((a.pk, str(a)) for a in quotable)]


@functools.cache
def _with_quote_choices(form_class):
    return type(form_class)(form_class.__name__, (QuoteChoices, form_class), {})


class AnnualReportPageForm(WagtailAdminPageForm):
    """The report's editor offers, and accepts, only what belongs to the report's site and the
    editing user may see: its networks, its people as approvers (networks/selectors.py
    `site_people`), and quotes of answers they may read (reports/selectors.py
    `quotable_answers`). What the report already names stays offered."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import quotable_answers, report_site_roots

        roots = report_site_roots(self.instance, parent=self.parent_page)
        if "networks" in self.fields:
            below = Q(pk__in=chosen_pks(self.initial.get("networks")))
            for root in roots:
                below |= Q(path__startswith=root)
            self.fields["networks"].queryset = NetworkPage.objects.filter(below).order_by("title")
        if "approvers" in self.fields:
            self.fields["approvers"].queryset = site_people(
                roots, chosen=chosen_pks(self.initial.get("approvers"))
            )

        quotes = self.formsets.get("quotes")
        if quotes is not None:
            quotable = quotable_answers(self.for_user, self.instance, parent=self.parent_page)
            quotes.form = _with_quote_choices(quotes.form)
            # One queryset for every row: read by the first, from memory for the others.
            quotes.form_kwargs["quotable"] = quotable
