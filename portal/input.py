"""Where input enters the portal: bad values are refused here, once, with a 400 page.

A NUL byte cannot be stored in PostgreSQL and makes every query that carries it fail
(`DataError`), so before this middleware a `%00` in a search, a token or a form gave a 500 on any
view that used it. Rather than guard each view, every request is looked at once, before
sessions, authentication and views read it: a NUL in the path, the query string, a form field
or a cookie, a number larger than any id (path or value), or a query value longer than any the
portal asks for, is refused with the portal's 400 page. Bodies that cannot be parsed (broken multipart) or are too big
(DATA_UPLOAD_MAX_MEMORY_SIZE) reach the same page through Django's own 400 handling.
"""

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, ObjectDoesNotExist, ValidationError
from django.core.paginator import InvalidPage
from django.urls import NoReverseMatch, reverse

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


# What a view of the Wagtail admin raises when a request carries values its own forms never send
# (a word where it takes an id, a form field missing or of the wrong shape, a `next` that is no
# URL): Wagtail's views read their input without checking it, and the portal cannot change them.
ADMIN_INPUT_ERRORS = (
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    ObjectDoesNotExist,
    NoReverseMatch,
    ValidationError,
    InvalidPage,
)
logger = logging.getLogger(__name__)


class AdminBadInputMiddleware:
    """The admin's answer to input its views cannot read: the portal's 400 page, not a 500.

    Only for the Wagtail admin (whose views are not the portal's), and only for the errors of
    reading input (ADMIN_INPUT_ERRORS). The error is still logged with its traceback, so that a
    real fault shows in the log as any other."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ADMIN_INPUT_ERRORS):
            return None
        if not request.path_info.startswith(reverse("wagtailadmin_home")):
            return None
        logger.error("Admin request the admin could not read: %s", request.path, exc_info=exception)
        raise BadRequest("input the admin could not read") from exception
