from zoneinfo import ZoneInfo

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

register = template.Library()


def _local(value, event):
    return value.astimezone(ZoneInfo(event.tz_name))


@register.filter
def event_when(event) -> str:
    """Date and time in the event's own time zone, e.g. "15 mars 2027, 09:00–10:00"."""
    start, end = _local(event.start, event), _local(event.end, event)
    day = date_format(start.date(), "DATE_FORMAT")
    if event.all_day:
        if end.date() == start.date():
            return day
        return f"{day} – {date_format(end.date(), 'DATE_FORMAT')}"
    if end.date() == start.date():
        text = f"{day}, {start:%H:%M}–{end:%H:%M}"
    else:
        text = f"{day} {start:%H:%M} – {date_format(end.date(), 'DATE_FORMAT')} {end:%H:%M}"
    if event.tz_name != "Europe/Stockholm":
        text += " " + _("(Norwegian time)") if event.tz_name == "Europe/Oslo" else event.tz_name
    return text


@register.filter
def event_start_iso(event) -> str:
    return _local(event.start, event).isoformat()
