"""The routes of the portal's routable pages: each hands its request to a view function.

A page model names its views and never imports them (the views import the models), so the
view module is imported when a route is first taken:

    class EventPage(RoutablePageMixin, Page):
        detail = page_view("", "event_detail")
        participants_export = page_view(r"^deltagare/(?P<fmt>csv|xlsx)/$", "event_participants_export")
        meeting_new = page_view("nytt-mote/", "events.views.meeting_new", of=network_id)

The route's name (for reverse_subpage and {% routablepageurl %}) is the attribute's unless
`name` says otherwise; a pattern that starts with ^ is a regex (re_path), any other a path()
route. A bare view name is a function of the views module beside the models module, a dotted
one is "module.function". The view is called with the request, the page (or what `of` takes
from it), the route's arguments and `extra`.
"""

from collections.abc import Callable
from importlib import import_module

from wagtail.contrib.routable_page.models import path, re_path


class page_view:  # noqa: N801 (it reads as the decorators it stands beside)
    def __init__(
        self, pattern: str, view: str, *, name: str = "", of: Callable | None = None, **extra
    ):
        self.view, self.name, self.of, self.extra = view, name, of, extra
        self.__name__ = self.__qualname__ = name or view.rsplit(".", 1)[-1]
        # Registered now, so that the routes keep their order among the class's @path methods.
        (re_path if pattern.startswith("^") else path)(pattern, name=self.__name__)(self)

    def __set_name__(self, owner, attribute: str):
        package = owner.__module__.rsplit(".", 1)[0]
        module_name, _, function_name = self.view.rpartition(".")
        self.module_name = module_name or f"{package}.views"
        self.function_name = function_name
        self.__qualname__ = f"{owner.__qualname__}.{attribute}"
        for route, _counter in self._routablepage_routes:
            route.name = self.name or attribute

    def __get__(self, page, owner=None):
        if page is None:
            return self
        return lambda request, *args, **kwargs: self(page, request, *args, **kwargs)

    def __call__(self, page, request, *args, **kwargs):
        function = getattr(import_module(self.module_name), self.function_name)
        return function(request, self.of(page) if self.of else page, *args, **kwargs, **self.extra)
