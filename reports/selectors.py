"""The year in the portal, counted for the annual report; and what a reader sees of it.

`year_figures` computes every section of the report's figures from the data (meetings and
their attendance, minutes and their decisions, matters raised, seminars, newsletters sent,
new good-practice cases, external meetings). It reads as the generating strategist may, and
records for each named thing the page it comes from. `figures_for` is the reading side: it
keeps every count, and names only what the reader may see now, as the one access rule says
(networks/access.py `visible_pages`, newsletters' `readable_issues_q`). A member-only meeting
is counted in the public version and named in the members' version only.
"""

from copy import deepcopy

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page

from events.models import EventKind, EventPage, EventStatus, Response
from networks import access
from networks.minutes.models import ActionItem
from networks.minutes.selectors import decisions_register
from portal.sites import site_pages_q

from .blocks import Figures
from .models import ExternalMeeting, ExternalMeetingKind

# --- computing ------------------------------------------------------------------------------


def _organisation_of(registration) -> str:
    if registration.organisation:
        return registration.organisation
    user = registration.user
    return user.organisation.name if user is not None and user.organisation_id else ""


def _participants(event) -> list:
    """Who took part: those marked as attended when attendance was taken; else those who said
    yes to a meeting, or held a confirmed place at any other event."""
    rows = [r for r in event.registrations.all() if r.status != "cancelled"]
    if any(r.attended is not None for r in rows):
        return [r for r in rows if r.attended]
    if event.is_meeting:
        return [r for r in rows if r.response == Response.YES]
    return [r for r in rows if r.status == "confirmed"]


def _event(event) -> dict:
    people = _participants(event)
    organisations = sorted({name for name in map(_organisation_of, people) if name})
    return {
        "page": event.pk,
        "title": event.title,
        "date": f"{timezone.localtime(event.start):%Y-%m-%d}",
        "kind": event.kind,
        "participants": len(people),
        "organisations": organisations,
        "organiser": event.organiser.name if event.organiser_id else "",
        "co_organisers": sorted(o.name for o in event.co_organisers.all()),
    }


def _events_of_year(queryset, year):
    return (
        queryset.filter(start__year=year)
        .exclude(status=EventStatus.CANCELLED)
        .select_related("organiser")
        .prefetch_related("registrations__user__organisation", "co_organisers")
        .order_by("start", "pk")
    )


def _network(network, *, year, user) -> dict:
    events = list(
        _events_of_year(EventPage.objects.live().filter(access.network_pages_q([network.pk])), year)
    )
    meetings = [_event(event) for event in events]
    people = {r.user_id or r.email.lower() for event in events for r in _participants(event)}
    decisions = [
        {
            "page": decision.minutes.pk,
            "date": f"{decision.minutes.meeting_date:%Y-%m-%d}",
            "subject": decision.subject,
            "lines": list(decision.lines),
        }
        for decision in reversed(decisions_register(user, network_id=network.pk, year=year))
    ]
    matters = [
        {
            "page": item.minutes_id,
            "what": item.what,
            "organisation": item.organisation.name,
            "status": item.matter_status,
            "answered": item.matter_status != "raised",
        }
        for item in ActionItem.objects.published()
        .matters()
        .filter(access.network_pages_q([network.pk], prefix="minutes__"))
        .filter(minutes__meeting_date__year=year)
        .select_related("organisation")
        .order_by("minutes__meeting_date", "pk")
    ]
    return {
        "network": network.pk,
        "title": network.title,
        "meetings": meetings,
        "participants": len(people),
        "organisations": sorted({o for m in meetings for o in m["organisations"]}),
        "decisions": decisions,
        "matters": matters,
    }


def _site_events(site, year, kinds):
    """The site's own events outside every member space (seminars, kick-offs, forums)."""
    events = EventPage.objects.live().filter(site_pages_q(site), kind__in=kinds)
    events = events.exclude(access.network_pages_q(access.member_spaces().values()))
    return [_event(event) for event in _events_of_year(events, year)]


def _external(site, year, kind) -> list:
    meetings = ExternalMeeting.objects.filter(site=site, date__year=year, kind=kind)
    return [
        {
            "id": meeting.pk,
            "title": meeting.title,
            "date": f"{meeting.date:%Y-%m-%d}",
            "organiser": meeting.organiser,
            "attendees": sorted(p.get_full_name() or p.email for p in meeting.attendees.all()),
        }
        for meeting in meetings.prefetch_related("attendees")
    ]


def _communication(site, year) -> dict:
    from goodpractice.models import PracticePage
    from portal.newsletters.models import DispatchStatus, NewsletterIssuePage

    issues = (
        NewsletterIssuePage.objects.filter(site_pages_q(site))
        .filter(dispatch__status=DispatchStatus.FINISHED, dispatch__finished_at__year=year)
        .select_related("dispatch")
        .order_by("dispatch__finished_at", "pk")
    )
    practices = (
        PracticePage.objects.live()
        .filter(site_pages_q(site), first_published_at__year=year)
        .order_by("first_published_at", "pk")
    )
    return {
        "newsletters": [
            {
                "page": issue.pk,
                "title": issue.title,
                "date": f"{timezone.localtime(issue.dispatch.finished_at):%Y-%m-%d}",
                "recipients": issue.dispatch.deliveries.filter(status="sent").count(),
            }
            for issue in issues
        ],
        "practices": [
            {
                "page": practice.pk,
                "title": practice.title,
                "date": f"{timezone.localtime(practice.first_published_at):%Y-%m-%d}",
            }
            for practice in practices
        ],
    }


def _key_figures(site, year) -> list:
    """Per municipality of the site's region (its municipality pages' counties) that has any:
    its quotas of the year (requested, decided, received, status) and its key figures for the
    year (the values for everyone, not those split by gender or age), each marked public or
    member-only; `figures_for` leaves the member-only ones to those who may see them."""
    from municipalities import selectors as municipalities
    from municipalities.models import FigureValue, Gender, Quota, QuotaKind

    index = municipalities.index_for_site(site)
    if index is None:
        return []
    organisations = list(municipalities.municipalities_of(index))
    kinds = list(QuotaKind.values)
    quotas, values = {}, {}
    for quota in Quota.objects.filter(organisation__in=organisations, year=year):
        quotas.setdefault(quota.organisation_id, []).append(quota)
    rows = FigureValue.objects.filter(
        organisation__in=organisations, period=str(year), gender=Gender.TOTAL, age_group=""
    ).select_related("figure_type")
    for value in rows.order_by("figure_type__sort_order", "figure_type__name"):
        values.setdefault(value.organisation_id, []).append(value)
    return [
        {
            "id": organisation.pk,
            "title": organisation.name,
            "quotas": [
                {
                    "kind": quota.kind,
                    "requested": quota.requested,
                    "decided": quota.decided,
                    "received": quota.received,
                    "status": quota.status,
                }
                for quota in sorted(
                    quotas.get(organisation.pk, []), key=lambda q: kinds.index(q.kind)
                )
            ],
            "figures": [
                {
                    "type": value.figure_type_id,
                    "name": value.figure_type.name,
                    "unit": value.figure_type.unit,
                    "value": f"{value.value.normalize():f}",
                    "public": value.figure_type.is_public,
                }
                for value in values.get(organisation.pk, [])
            ],
        }
        for organisation in organisations
        if organisation.pk in quotas or organisation.pk in values
    ]


KNOWLEDGE_KINDS = (EventKind.KNOWLEDGE_MEETING,)
OTHER_EVENT_KINDS = tuple(
    kind
    for kind in EventKind.values
    if kind not in KNOWLEDGE_KINDS
    and kind not in (EventKind.NETWORK_MEETING, EventKind.STEERING_GROUP_MEETING)
)


def year_figures(*, site, year: int, networks, steering_group=None, user) -> dict:
    """Every computed section of the report, as JSON data (frozen on the page as it is)."""
    networks = [n for n in networks if steering_group is None or n.pk != steering_group.pk]
    return {
        Figures.NETWORKS: [_network(n, year=year, user=user) for n in networks],
        Figures.STEERING_GROUP: (
            _network(steering_group, year=year, user=user) if steering_group else None
        ),
        Figures.EVENTS: _site_events(site, year, OTHER_EVENT_KINDS),
        Figures.KNOWLEDGE_MEETINGS: _site_events(site, year, KNOWLEDGE_KINDS),
        Figures.EXTERNAL_REGIONAL: _external(site, year, ExternalMeetingKind.REGIONAL),
        Figures.EXTERNAL_NATIONAL: _external(site, year, ExternalMeetingKind.NATIONAL),
        Figures.KEY_FIGURES: _key_figures(site, year),
        Figures.COMMUNICATION: _communication(site, year),
    }


# --- reading --------------------------------------------------------------------------------


def _named_pages(figures) -> set[int]:
    found = set()

    def walk(value):
        if isinstance(value, dict):
            if isinstance(value.get("page"), int):
                found.add(value["page"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(figures)
    return found


def _readable_pages(user, ids) -> set[int]:
    """Of these pages, those this user may read now (one query for pages, one for issues)."""
    from portal.newsletters.models import NewsletterIssuePage
    from portal.newsletters.selectors import readable_issues_q

    pages = access.visible_pages(user, Page.objects.filter(pk__in=ids))
    readable = set(pages.values_list("pk", flat=True))
    issues = NewsletterIssuePage.objects.filter(pk__in=readable)
    hidden_issues = set(issues.values_list("pk", flat=True)) - set(
        issues.filter(readable_issues_q(user)).values_list("pk", flat=True)
    )
    return readable - hidden_issues


def _keep(value, readable):
    """A copy in which every named thing the reader may not read is left out of the lists
    (the counts beside them stay)."""
    if isinstance(value, list):
        kept = []
        for item in value:
            named = isinstance(item, dict) and isinstance(item.get("page"), int)
            if named and item["page"] not in readable:
                continue
            kept.append(_keep(item, readable))
        return kept
    if isinstance(value, dict):
        return {key: _keep(item, readable) for key, item in value.items()}
    return value


def _counted(section):
    """The counts a reader gets whatever they may read: per network its meetings and the
    attendance of each, in date order (a shrinking network shows without naming a meeting)."""
    if not isinstance(section, dict) or "meetings" not in section:
        return section
    section = dict(section)
    section["meeting_count"] = len(section["meetings"])
    section["attendance"] = [m["participants"] for m in section["meetings"]]
    section["decision_count"] = len(section["decisions"])
    section["matter_count"] = len(section["matters"])
    section["answered_count"] = sum(1 for m in section["matters"] if m["answered"])
    return section


def _quotes(user, report) -> list:
    """The free-text answers the report quotes, with the municipality and the question: only
    of questionnaires whose answers this reader may read."""
    from questionnaires.forms import questions_of

    quotes = []
    questions = {}  # per questionnaire: its fields are read once, however many answers it has
    rows = report.quotes.select_related(
        "answer__recipient__questionnaire", "answer__recipient__organisation"
    )
    for quote in rows:
        answer = quote.answer
        questionnaire = answer.recipient.questionnaire
        if not answer.is_submitted or not access.can_view_questionnaire_answers(
            user, questionnaire
        ):
            continue
        if questionnaire.pk not in questions:
            questions[questionnaire.pk] = questions_of(questionnaire.get_form_fields())
        for question in questions[questionnaire.pk]:
            text = answer.form_data.get(question.columns[0][0]) if question.is_free_text else ""
            if text:
                quotes.append(
                    {
                        "municipality": answer.recipient.organisation.name,
                        "question": question.label,
                        "text": text,
                    }
                )
    return quotes


def figures_for(user, report) -> dict:
    """The report's frozen figures as this reader may read them."""
    figures = deepcopy(report.figures or {})
    for key in (Figures.NETWORKS,):
        figures[key] = [_counted(section) for section in figures.get(key) or []]
    figures[Figures.STEERING_GROUP] = _counted(figures.get(Figures.STEERING_GROUP))
    communication = figures.get(Figures.COMMUNICATION) or {}
    communication["newsletter_count"] = len(communication.get("newsletters", []))
    communication["recipients"] = sum(n["recipients"] for n in communication.get("newsletters", []))
    communication["practice_count"] = len(communication.get("practices", []))
    figures[Figures.COMMUNICATION] = communication
    for key in (Figures.EVENTS, Figures.KNOWLEDGE_MEETINGS):
        events = figures.get(key) or []
        figures[f"{key}_count"] = len(events)
        figures[f"{key}_participants"] = sum(e["participants"] for e in events)
    for key in (Figures.EXTERNAL_REGIONAL, Figures.EXTERNAL_NATIONAL):
        figures[f"{key}_count"] = len(figures.get(key) or [])
    if not access.can_view_municipality_details(user, report):
        for municipality in figures.get(Figures.KEY_FIGURES) or []:
            municipality["figures"] = [f for f in municipality["figures"] if f["public"]]
    figures[Figures.QUOTES] = _quotes(user, report)
    return _keep(figures, _readable_pages(user, _named_pages(figures)))


# --- the editor's choices -------------------------------------------------------------------


def report_site_roots(report, *, parent=None) -> list[str]:
    """The root path of the site a report belongs to (a new one, not yet in the tree, to its
    parent's), as a list; while the installation has one site, that site's."""
    from portal.sites import all_sites, site_of_page

    anchor = report if report.path else parent
    site = site_of_page(anchor) if anchor is not None else None
    return [site.root_path] if site else [site.root_path for site in all_sites()]


def quotable_answers(user, report, *, parent=None):
    """The sent answers an editor may pick for a report's quotes: of the questionnaires of the
    report's site and year whose answers this editor may read (networks/access.py
    `can_view_questionnaire_answers`), with what their labels name, in one query."""
    from questionnaires.models import QuestionnairePage, QuestionnaireResponse

    below = Q(pk__in=[])
    for root in report_site_roots(report, parent=parent):
        below |= Q(path__startswith=root)
    questionnaires = QuestionnairePage.objects.filter(below)
    if report.year:
        questionnaires = questionnaires.filter(deadline__year=report.year)
    readable = [q.pk for q in questionnaires if access.can_view_questionnaire_answers(user, q)]
    return (
        QuestionnaireResponse.objects.filter(
            submitted_at__isnull=False, recipient__questionnaire__in=readable
        )
        .select_related("recipient__organisation", "page")
        .order_by("page__title", "recipient__organisation__name", "pk")
    )
