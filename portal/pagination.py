"""A paginator whose page costs one query, not two.

Django's Paginator counts the rows (`SELECT COUNT(*)`) before it reads the page. This one reads
the page with the count alongside (`COUNT(*) OVER ()`, a window over the whole filtered set,
worked out before LIMIT/OFFSET: the same figure on SQLite and PostgreSQL), so a member directory
or a list of action items is one query at any length. Only when the page comes back empty (no
rows, or a page number past the end) does it count the usual way, to find the page to show; so
does a page number whose offset no database integer holds (SQLite's "datatype mismatch",
PostgreSQL's "bigint out of range": a 500 before).
"""

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, QuerySet, Window

from portal.input import LARGEST_ID

_TOTAL = "_paginator_total"


class CountingPaginator(Paginator):
    def get_page(self, number):
        page = self._page_with_count(number)
        return page if page is not None else super().get_page(number)

    def _page_with_count(self, number):
        queryset = self.object_list
        if (
            not isinstance(queryset, QuerySet)
            or queryset.query.distinct
            or self.orphans
            or "count" in vars(self)
        ):
            return None
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        bottom = (number - 1) * self.per_page
        if number < 1 or bottom + self.per_page > LARGEST_ID:
            return None
        rows = list(
            queryset.annotate(**{_TOTAL: Window(Count("pk"))})[bottom : bottom + self.per_page]
        )
        if not rows:
            return None
        vars(self)["count"] = getattr(rows[0], _TOTAL)  # Paginator.count is a cached_property
        try:
            self.validate_number(number)
        except InvalidPage:
            return None
        return self._get_page(rows, number, self)
