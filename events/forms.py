import re
from datetime import datetime, time
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import DEFAULT_TIMEZONE, MEETING_KINDS, EventKind, Response, TimeZoneChoice


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


AGENDA_LINE = re.compile(r"^(?:(?P<time>\d{1,2}[:.]\d{2})\s+)?(?P<item>.+)$")


class MeetingForm(forms.Form):
    """The short "Nytt möte" form in the member space; also used to change a meeting."""

    title = forms.CharField(label=_("Title"), max_length=255)
    kind = forms.ChoiceField(
        label=_("Kind of meeting"),
        choices=[(kind.value, kind.label) for kind in MEETING_KINDS],
        initial=EventKind.NETWORK_MEETING,
    )
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    starts_at = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends_at = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    tz_name = forms.ChoiceField(
        label=_("Time zone"), choices=TimeZoneChoice.choices, initial=DEFAULT_TIMEZONE
    )
    venue = forms.CharField(
        label=_("Place"),
        max_length=255,
        required=False,
        help_text=_("For example: Tumba kommunhus, room Tornet."),
    )
    join_details = forms.CharField(
        label=_("Online link or dial-in details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only those invited see this."),
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One item per line; a time first if you like, as 09:30 Welcome."),
    )
    guests = forms.CharField(
        label=_("Guests"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Guests outside the network, one e-mail address per line, such as "
            "Anna Berg <anna.berg@migrationsverket.se>. They get the invitation and the join "
            "details, nothing else of the member space. Every member is invited."
        ),
    )

    def __init__(self, *args, require_future=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.require_future = require_future

    def clean_agenda(self) -> list[tuple[time | None, str]]:
        items = []
        for line in self.cleaned_data["agenda"].splitlines():
            match = AGENDA_LINE.match(line.strip())
            if not match:
                continue
            at = None
            if match["time"]:
                hours, minutes = (int(part) for part in re.split(r"[:.]", match["time"]))
                if hours > 23 or minutes > 59:
                    raise ValidationError(
                        _("%(time)s is not a time of day."), params={"time": match["time"]}
                    )
                at = time(hours, minutes)
            items.append((at, match["item"].strip()[:255]))
        return items

    def clean_guests(self) -> list[tuple[str, str]]:
        guests, wrong = [], []
        text = self.cleaned_data["guests"].replace(";", "\n").replace(",", "\n")
        for line in text.splitlines():
            if not line.strip():
                continue
            name, address = parseaddr(line.strip())
            try:
                validate_email(address)
            except ValidationError:
                wrong.append(line.strip())
                continue
            guests.append((address.lower(), name))
        if wrong:
            raise ValidationError(
                _("These are not e-mail addresses: %(addresses)s"),
                params={"addresses": ", ".join(wrong)},
            )
        return guests

    def clean(self):
        data = super().clean()
        if not {"day", "starts_at", "ends_at", "tz_name"} <= data.keys():
            return data
        zone = ZoneInfo(data["tz_name"])
        data["start"] = datetime.combine(data["day"], data["starts_at"], tzinfo=zone)
        data["end"] = datetime.combine(data["day"], data["ends_at"], tzinfo=zone)
        if data["end"] <= data["start"]:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        if self.require_future and data["start"] < timezone.now():
            self.add_error("day", _("The meeting must be in the future."))
        if not data.get("venue") and not data.get("join_details"):
            self.add_error("venue", _("Give a place, an online link, or both."))
        return data

    def details(self):
        from .services import MeetingDetails

        data = self.cleaned_data
        return MeetingDetails(
            title=data["title"],
            kind=data["kind"],
            start=data["start"],
            end=data["end"],
            tz_name=data["tz_name"],
            venue=data["venue"],
            join_details=data["join_details"],
            agenda=data["agenda"],
        )

    @classmethod
    def initial_for(cls, event) -> dict:
        zone = ZoneInfo(event.tz_name)
        start, end = event.start.astimezone(zone), event.end.astimezone(zone)
        agenda = "\n".join(
            f"{item.time:%H:%M} {item.item}" if item.time else item.item
            for item in event.agenda_items.all()
        )
        return {
            "title": event.title,
            "kind": event.kind,
            "day": start.date(),
            "starts_at": start.time(),
            "ends_at": end.time(),
            "tz_name": event.tz_name,
            "venue": event.venue,
            "join_details": event.join_details,
            "agenda": agenda,
        }


class MeetingCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to everyone invited)"), max_length=255, required=False
    )
