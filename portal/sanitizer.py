"""The one sanitiser: everything user-submitted that is shown as HTML passes through here."""

import bleach
from bleach.css_sanitizer import CSSSanitizer
from bleach.linkifier import Linker
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "hr", "i",
        "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead",
        "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "td": ["colspan", "rowspan"],
    "th": ["colspan", "rowspan", "scope"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})

_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    css_sanitizer=CSSSanitizer(allowed_css_properties=[]),
)


def _nofollow_external(attrs, new=False):
    href = attrs.get((None, "href"), "")
    if href.startswith(("http://", "https://")):
        attrs[(None, "rel")] = "nofollow noopener"
    return attrs


_linker = Linker(callbacks=[_nofollow_external], skip_tags={"pre", "code"}, parse_email=True)


def clean_html(value) -> SafeString:
    """Rich text from users or editors: keep the safe structure, drop everything else."""
    if not value:
        return mark_safe("")
    return mark_safe(_linker.linkify(_cleaner.clean(str(value))))  # noqa: S308 (sanitised above)


def linkify_text(value) -> SafeString:
    """Plain text from users: escaped, paragraphs kept, addresses turned into safe links."""
    if not value:
        return mark_safe("")
    paragraphs = [p.strip() for p in str(value).replace("\r\n", "\n").split("\n\n") if p.strip()]
    html = "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return clean_html(html)


def strip_tags(value) -> str:
    """Text for places that take no HTML at all (e-mail subjects, feeds, CSV)."""
    return bleach.clean(str(value or ""), tags=set(), strip=True)
