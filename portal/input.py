"""Where input enters the portal: bad values are refused here, once, with a 400 page.

A NUL byte cannot be stored in PostgreSQL and makes every query that carries it fail
(`DataError`), so before this middleware a `%00` in a search, a token or a form gave a 500 on any
view that used it. Rather than guard each view, every request is looked at once, before
sessions, authentication and views read it: a NUL in the path, the query string, a form field
or a cookie, a number larger than any id (path or value), or a query value longer than any the
portal asks for, is refused with the portal's 400 page. Bodies that cannot be parsed (broken multipart) or are too big
(DATA_UPLOAD_MAX_MEMORY_SIZE) reach the same page through Django's own 400 handling.
"""

from django.conf import settings
from django.core.exceptions import BadRequest

NUL = "\x00"
# No id in the portal's URLs is larger than a database integer (64 bits); a larger number fails
# in the database (SQLite: OverflowError) instead of finding nothing.
LARGEST_ID = 2**63 - 1


def _too_big(value: str) -> bool:
    return value.isascii() and value.isdigit() and int(value) > LARGEST_ID


def _bad_values(pairs, max_length):
    for key, values in pairs:
        if NUL in key:
            return f"NUL in the name {key!r}"
        for value in values:
            if not isinstance(value, str):
                continue
            if NUL in value:
                return f"NUL in {key!r}"
            if _too_big(value):
                return f"{key!r} is a number larger than any id"
            if max_length and len(value) > max_length:
                return f"{key!r} is {len(value)} characters long"
    return None


def bad_input(request) -> str | None:
    """Why the request is refused, or None when it may go on."""
    if NUL in request.path_info:
        return "NUL in the path"
    if any(_too_big(part) for part in request.path_info.split("/")):
        return "a number in the path larger than any id"
    problem = _bad_values(request.GET.lists(), settings.PORTAL_MAX_QUERY_VALUE_LENGTH)
    if problem is None and request.method == "POST":
        # Parsing here raises what Django turns into a 400 (broken multipart, too much data).
        problem = _bad_values(request.POST.lists(), 0)
    if problem is None:
        problem = _bad_values(((k, [v]) for k, v in request.COOKIES.items()), 0)
    return problem


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = bad_input(request)
        if problem is not None:
            raise BadRequest(problem)
        return self.get_response(request)
