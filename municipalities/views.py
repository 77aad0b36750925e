"""Thin views: the access rule decides (networks/access.py), selectors read, services change."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from networks import access
from portal.exports import spreadsheet_response
from portal.sites import site_of_page

from . import charts, exports, selectors, services
from .forms import ReportForm
from .models import RoundParty


def index(request, page):
    """The counties, and a chooser that leads to any municipality's page."""
    chosen = request.GET.get("kommun", "")
    if chosen and selectors.municipality_for(page, chosen) is not None:
        return redirect(f"{request.path}{chosen}/")
    context = {
        "page": page,
        "counties": selectors.counties_of(page),
        "municipalities": selectors.municipalities_of(page),
        "not_found": bool(chosen),
    }
    return TemplateResponse(
        request, "municipalities/index.html", context, status=404 if chosen else 200
    )


def _county_or_404(page, county_slug):
    county = selectors.county_for(page, county_slug)
    if county is None:
        raise Http404
    return county


def _county_context(request, page, county):
    # A year's table has the municipalities of that year: those retired since too.
    municipalities = list(selectors.municipalities_of(page, retired=True).filter(county=county))
    current = [o for o in municipalities if not o.retired]
    year = selectors.latest_quota_year(municipalities)
    members = access.can_view_municipality_details(request.user, page)
    return {
        "page": page,
        "county": county,
        "county_slug": selectors.county_slug(county),
        "year": year,
        "tables": selectors.quota_tables(municipalities, year),
        "retired": selectors.retired_of(municipalities),
        "members": members,
        "gaps": selectors.contact_gaps(current) if members else None,
    }


def county(request, page, county_slug):
    county = _county_or_404(page, county_slug)
    context = _county_context(request, page, county)
    if context["members"]:
        site = site_of_page(page, request)
        rounds = selectors.rounds_of_site(site).filter(parties__organisation__county=county)
        context["rounds"] = [
            (r, selectors.round_progress(r))
            for r in rounds.distinct()
            if access.can_organise_reporting_round(request.user, r)
        ]
    return TemplateResponse(request, "municipalities/county.html", context)


def county_export(request, page, county_slug, fmt):
    county = _county_or_404(page, county_slug)
    context = _county_context(request, page, county)
    header, rows = exports.quota_rows(context["tables"])
    filename = f"kvoter-{context['county_slug']}-{context['year'] or ''}".rstrip("-")
    return spreadsheet_response(fmt=fmt, filename=filename, header=header, rows=rows)


def _municipality_or_404(page, slug):
    organisation = selectors.municipality_for(page, slug)
    if organisation is None:
        raise Http404
    return organisation


def municipality(request, page, slug):
    organisation = _municipality_or_404(page, slug)
    user = request.user
    site = site_of_page(page, request)
    members = access.can_view_municipality_details(user, page)
    neighbours = list(
        selectors.municipalities_of(page, retired=True).filter(county=organisation.county_id)
    )
    year = selectors.latest_quota_year([organisation])
    tables = selectors.quota_tables(neighbours, year)
    series = selectors.figure_series(organisation, selectors.figure_types_for(user, page))
    charts.figure_charts(series, members=members)
    context = {
        "page": page,
        "organisation": organisation,
        "lineage": selectors.lineage_of(page, organisation),
        "name": selectors.short_name(organisation),
        "slug": slug,
        "county_slug": selectors.county_slug(organisation.county) if organisation.county else "",
        "year": year,
        "quotas": [q for q in (dict(t.rows).get(organisation) for t in tables) if q],
        "tables": tables,
        "series": series,
        "members": members,
        "contacts": selectors.contacts_of(organisation) if members else None,
        "practices": selectors.practices_of(organisation, site),
        "events": selectors.events_of(organisation, user, site),
        "may_report": selectors.rounds_to_report(user, organisation),
    }
    return TemplateResponse(request, "municipalities/municipality.html", context)


def figures_export(request, page, slug, fmt):
    organisation = _municipality_or_404(page, slug)
    series = selectors.figure_series(organisation, selectors.figure_types_for(request.user, page))
    header, rows = exports.figure_rows(organisation, series)
    return spreadsheet_response(fmt=fmt, filename=f"nyckeltal-{slug}", header=header, rows=rows)


def reporting_round(request, page, round_id):
    """The round's board: who has reported and who not, and the values gathered."""
    site = site_of_page(page, request)
    found = selectors.rounds_of_site(site).filter(pk=round_id).first()
    if found is None:
        raise Http404
    if not access.can_organise_reporting_round(request.user, found):
        return access.refuse(request, found.network_id)
    progress = selectors.round_progress(found)
    values = selectors.round_values(found)
    for party in progress.reported:
        party.values = values.get(party.organisation_id, [])
    context = {"page": page, "round": found, "progress": progress}
    return TemplateResponse(request, "municipalities/round.html", context)


def report(request, token):
    """A municipality's report in a round: by its personal link, or logged in as its contact."""
    party = RoundParty.from_token(token)
    if party is None:
        raise Http404
    figure_types = list(party.round.figure_types.all())
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST, figure_types=figure_types)
        if form.is_valid():
            services.round_report_save(
                party=party, values=form.values(), reported_by=form.cleaned_data["reported_by"]
            )
            messages.success(request, _("Thank you. Your figures have been reported."))
            return redirect(request.path)
        status = 400
    else:
        initial = {"reported_by": party.reported_by}
        if request.user.is_authenticated and not party.reported_by:
            initial["reported_by"] = request.user.get_full_name()
        form = ReportForm(initial=initial, figure_types=figure_types)
    context = {"party": party, "round": party.round, "form": form}
    return TemplateResponse(request, "municipalities/report.html", context, status=status)
