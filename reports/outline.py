"""The report as the reader reads it: the sentences that count things, written once, for the
web page and for the PDF and DOCX alike (portal/paper.py blocks).

Every count comes from the frozen figures as `selectors.figures_for` gives them to this reader,
so a number is never typed and a member-only meeting is named only to those who may read it.
"""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from municipalities.models import QuotaKind, QuotaStatus
from networks.minutes.pdf import rich_text_lines
from portal import paper

from .blocks import Figures

QUOTA_FIGURES = ("requested", "decided", "received")


def _participants(count) -> str:
    return ngettext("%(count)s participant", "%(count)s participants", count) % {"count": count}


def _event_line(event) -> str:
    line = f"{event['date']} {event['title']}: {_participants(event['participants'])}"
    if event.get("co_organisers"):
        line += " " + _("(together with %(names)s)") % {"names": ", ".join(event["co_organisers"])}
    return line


def _network(section, *, steering_group=False) -> list:
    count = section["meeting_count"]
    blocks = [] if steering_group else [paper.Heading(section["title"], level=2)]
    met = (
        ngettext(
            "The steering group has met %(count)s time during the year.",
            "The steering group has met %(count)s times during the year.",
            count,
        )
        if steering_group
        else ngettext(
            "The network has held %(count)s meeting of its own during the year.",
            "The network has held %(count)s meetings of its own during the year.",
            count,
        )
    )
    blocks.append(paper.Text(met % {"count": count}))
    if count:
        blocks.append(
            paper.Text(
                _("Participants per meeting, in date order: %(counts)s.")
                % {"counts": ", ".join(str(n) for n in section["attendance"])}
            )
        )
        blocks.append(
            paper.Text(
                ngettext(
                    "%(count)s person took part, from %(organisations)s organisations.",
                    "%(count)s people took part, from %(organisations)s organisations.",
                    section["participants"],
                )
                % {
                    "count": section["participants"],
                    "organisations": len(section["organisations"]),
                }
            )
        )
    if section["meetings"]:
        blocks.append(paper.Bullets([_event_line(m) for m in section["meetings"]]))
    if section["decisions"]:
        # Below the network's own heading; the steering group's chapter has none.
        blocks.append(paper.Heading(_("Main decisions"), level=2 if steering_group else 3))
        blocks.append(
            paper.Bullets(
                [
                    f"{d['date']} {d['subject']}: {' '.join(d['lines'])}"
                    for d in section["decisions"]
                ]
            )
        )
    if section["matter_count"]:
        blocks.append(
            paper.Text(
                ngettext(
                    "%(count)s matter raised with other organisations, %(answered)s answered.",
                    "%(count)s matters raised with other organisations, %(answered)s answered.",
                    section["matter_count"],
                )
                % {"count": section["matter_count"], "answered": section["answered_count"]}
            )
        )
        if section["matters"]:
            blocks.append(
                paper.Bullets([f"{m['what']} ({m['organisation']})" for m in section["matters"]])
            )
    return blocks


def _events(figures, key) -> list:
    count, people = figures[f"{key}_count"], figures[f"{key}_participants"]
    blocks = [
        paper.Text(
            ngettext(
                "%(count)s event during the year, with %(participants)s.",
                "%(count)s events during the year, with %(participants)s in all.",
                count,
            )
            % {"count": count, "participants": _participants(people)}
        )
    ]
    if figures.get(key):
        blocks.append(paper.Bullets([_event_line(e) for e in figures[key]]))
    return blocks


def _external(figures, key) -> list:
    count = figures[f"{key}_count"]
    blocks = [
        paper.Text(
            ngettext(
                "The strategist has taken part in %(count)s meeting outside the portal.",
                "The strategist has taken part in %(count)s meetings outside the portal.",
                count,
            )
            % {"count": count}
        )
    ]
    lines = []
    for meeting in figures.get(key) or []:
        line = f"{meeting['date']} {meeting['title']}"
        if meeting["organiser"]:
            line += f" ({meeting['organiser']})"
        if meeting["attendees"]:
            line += ": " + ", ".join(meeting["attendees"])
        lines.append(line)
    if lines:
        blocks.append(paper.Bullets(lines))
    return blocks


def _communication(figures) -> list:
    communication = figures[Figures.COMMUNICATION]
    count = communication["newsletter_count"]
    blocks = [
        paper.Text(
            ngettext(
                "%(count)s newsletter has been sent out, to %(recipients)s recipients in all.",
                "%(count)s newsletters have been sent out, to %(recipients)s recipients in all.",
                count,
            )
            % {"count": count, "recipients": communication["recipients"]}
        )
    ]
    if communication.get("newsletters"):
        blocks.append(
            paper.Bullets(
                [
                    ngettext(
                        "%(date)s %(title)s: %(count)s recipient",
                        "%(date)s %(title)s: %(count)s recipients",
                        n["recipients"],
                    )
                    % {"date": n["date"], "title": n["title"], "count": n["recipients"]}
                    for n in communication["newsletters"]
                ]
            )
        )
    practices = communication["practice_count"]
    blocks.append(
        paper.Text(
            ngettext(
                "%(count)s new good-practice case was published.",
                "%(count)s new good-practice cases were published.",
                practices,
            )
            % {"count": practices}
        )
    )
    if communication.get("practices"):
        blocks.append(
            paper.Bullets([f"{p['date']} {p['title']}" for p in communication["practices"]])
        )
    return blocks


def _number(value) -> str:
    return "–" if value is None else number_format(Decimal(str(value)), force_grouping=True)


def _key_figures(report, figures) -> list:
    """Chapter 8: per kind of quota a table of the municipalities' quotas of the year, then a
    table of their key figures for the year (member-only ones only to those who may see them)."""
    municipalities = figures.get(Figures.KEY_FIGURES) or []
    year = report.year
    blocks = []
    for kind, label in QuotaKind.choices:
        rows = [
            (municipality["title"], quota)
            for municipality in municipalities
            for quota in municipality["quotas"]
            if quota["kind"] == kind
        ]
        if not rows:
            continue
        header = [_("Municipality"), _("Requested"), _("Decided"), _("Received"), _("Status")]
        table = [header]
        table += [
            [
                name,
                _number(quota["requested"]),
                _number(quota["decided"]),
                _number(quota["received"]),
                str(QuotaStatus(quota["status"]).label),
            ]
            for name, quota in rows
        ]
        totals = [sum(q[field] or 0 for _name, q in rows) for field in QUOTA_FIGURES]
        table.append([_("Total"), *map(_number, totals), ""])
        blocks += [paper.Heading(f"{label} {year}", level=2), paper.Table(table)]
    types = {}
    for municipality in municipalities:
        for figure in municipality["figures"]:
            unit = f" ({figure['unit']})" if figure["unit"] else ""
            types.setdefault(figure["type"], f"{figure['name']}{unit}")
    if types:
        table = [[_("Municipality"), *types.values()]]
        for municipality in municipalities:
            values = {f["type"]: f["value"] for f in municipality["figures"]}
            if values:
                table.append([municipality["title"], *(_number(values.get(t)) for t in types)])
        blocks += [
            paper.Heading(_("Key figures %(year)s") % {"year": year}, level=2),
            paper.Table(table),
        ]
    if not blocks:
        blocks.append(
            paper.Text(
                _("No quotas or key figures of the municipalities are recorded for %(year)s.")
                % {"year": year}
            )
        )
    return blocks


def _quotes(figures) -> list:
    quotes = figures.get(Figures.QUOTES) or []
    if not quotes:
        return []
    blocks = [paper.Heading(_("In the municipalities' own words"), level=2)]
    for quote in quotes:
        blocks.append(paper.Text(_("“%(text)s”") % {"text": quote["text"]}, italic=True))
        blocks.append(paper.Text(f"{quote['municipality']}, {quote['question']}"))
    return blocks


def _economy(report) -> list:
    blocks = []
    for block in report.economy:
        rows = [[cell or "" for cell in row] for row in (block.value.get("data") or [])]
        if rows:
            blocks.append(paper.Table(rows))
    return blocks


def figure_blocks(report, figures, key: str) -> list:
    """The blocks of one chapter's figures (`key`, blocks.Figures) for this reader."""
    if key == Figures.NETWORKS:
        return [block for section in figures[key] for block in _network(section)]
    if key == Figures.STEERING_GROUP:
        return _network(figures[key], steering_group=True) if figures.get(key) else []
    if key in (Figures.EVENTS, Figures.KNOWLEDGE_MEETINGS):
        return _events(figures, key)
    if key in (Figures.EXTERNAL_REGIONAL, Figures.EXTERNAL_NATIONAL):
        return _external(figures, key)
    if key == Figures.COMMUNICATION:
        return _communication(figures)
    if key == Figures.KEY_FIGURES:
        return _key_figures(report, figures)
    if key == Figures.ECONOMY:
        return _economy(report)
    if key == Figures.QUOTES:
        return _quotes(figures)
    return []


def chapters(report, figures) -> list[tuple[dict, list]]:
    """Each chapter's value with the blocks of its figures, in the report's order."""
    return [
        (block.value, figure_blocks(report, figures, block.value.get("figures") or ""))
        for block in report.chapters
    ]


def computed_line(report) -> str:
    if report.figures_computed_at is None:
        return ""
    return _("The figures were computed on %(date)s.") % {
        "date": f"{report.figures_computed_at:%Y-%m-%d}"
    }


def outline(report, figures) -> list:
    """The whole report for the printed documents."""
    blocks = [paper.Text(computed_line(report), italic=True)] if report.figures_computed_at else []
    for chapter, figure_list in chapters(report, figures):
        blocks.append(paper.Heading(f"{chapter['number']}. {chapter['heading']}"))
        blocks += [paper.Text(line) for line in rich_text_lines(chapter.get("body"))]
        blocks += figure_list
    return blocks
