"""Dates and times as the portal writes them for machines."""


def iso(value) -> str | None:
    """A date or time in ISO 8601 (as in every app's part of the JSON copy), or None."""
    return value.isoformat() if value else None
