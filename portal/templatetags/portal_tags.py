from django import template
from django.conf import settings
from django.forms import BaseForm
from django.utils.html import format_html
from django.utils.translation import get_language

from portal import sanitizer

register = template.Library()


@register.filter
def clean_html(value):
    return sanitizer.clean_html(value)


@register.filter
def linkify(value):
    return sanitizer.linkify_text(value)


@register.simple_tag(takes_context=True)
def query_transform(context, **kwargs):
    """The current query string with some parameters replaced: keeps filters across pages."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.filter
def without_placeholder(bound_field):
    """The field as a widget with no placeholder: the visible label says what to type, and a
    second wording beside it (allauth's "Epost-adress" under "E-post") only confuses."""
    bound_field.field.widget.attrs.pop("placeholder", None)
    return bound_field


@register.filter
def has_required(form) -> bool:
    return any(field.field.required for field in form.visible_fields())


@register.simple_tag(takes_context=True)
def form_failed(context) -> bool:
    """Whether the page shows a submitted form that was refused (for "Error: " in the title).

    `type()`, not `isinstance()`: isinstance would evaluate the lazy values in the context, and
    the lazy CSRF token then sets a cookie on every page, which keeps every page out of the
    anonymous page cache."""
    return any(
        issubclass(type(value), BaseForm) and value.is_bound and value.errors
        for value in context.flatten().values()
    )


def content_language(obj) -> str:
    """The language a page (or a network) is written in: its own `language` where it has one,
    else the site's content language, Swedish. Not the interface language, which may differ."""
    language = getattr(obj, "language", None)
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@register.filter
def lang_attr(obj):
    """` lang="sv"` on content shown inside a Norwegian or English interface, so a screen
    reader switches voice (WCAG 3.1.2); nothing when the two languages are the same."""
    language = content_language(obj)
    if language == (get_language() or settings.LANGUAGE_CODE).split("-")[0]:
        return ""
    return format_html(' lang="{}"', language)


@register.simple_tag(takes_context=True)
def site_label(context, page) -> str:
    """The name of the regional site a page belongs to, on lists that gather items from every
    site (Mina sidor, the national views); empty while the installation has one site."""
    from portal.sites import site_of_page

    site = site_of_page(page, context.get("request"))
    return site.site_name if site is not None else ""
