"""The municipality tables as spreadsheet rows (portal/exports.py writes them as CSV or XLSX)."""

from django.utils.translation import gettext as _


def quota_rows(tables) -> tuple[list, list]:
    """Every kind of quota of a county's municipalities for the year, one row per municipality."""
    header = [
        _("Municipality"), _("Code"), _("Year"), _("Kind"), _("Requested"), _("Decided"),
        _("Received to date"), _("Reached (%)"), _("Status"), _("Note"), _("Source"), _("Retrieved"),
    ]  # fmt: skip
    rows = [
        [
            organisation.name,
            organisation.official_code,
            table.year,
            table.label,
            quota.requested,
            quota.decided,
            quota.received,
            quota.reached_percent,
            quota.get_status_display(),
            quota.note,
            quota.source,
            quota.retrieved_on.isoformat(),
        ]
        for table in tables
        for organisation, quota in table.rows
    ]
    return header, rows


def figure_rows(organisation, series) -> tuple[list, list]:
    header = [
        _("Municipality"), _("Key figure"), _("Unit"), _("Period"), _("Gender"), _("Age group"),
        _("Value"), _("Source"), _("Retrieved"),
    ]  # fmt: skip
    rows = [
        [
            organisation.name,
            item.figure_type.name,
            item.figure_type.unit,
            value.period,
            value.get_gender_display(),
            value.age_group,
            float(value.value),
            value.source,
            value.retrieved_on.isoformat(),
        ]
        for item in series
        for value in item.values
    ]
    return header, rows
