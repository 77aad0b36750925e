"""An issue rendered as e-mail: subject, HTML (tables and inline styles for Outlook and Gmail)
and plain text. Rendered once per sending; the recipient's unsubscribe link is left as a mark
(mime.UNSUBSCRIBE_MARK) that the MIME template fills in per recipient.
"""

import html as html_lib
import re
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from wagtail.rich_text import expand_db_html

from portal.links import absolute_url

from .blocks import PullBlock
from .mime import UNSUBSCRIBE_MARK

_HREF = re.compile(r'(href|src)="/')
_LINK = re.compile(r'<a\s[^>]*href="([^"]*)"[^>]*>(.*?)</a>', re.S | re.I)
_PARAGRAPH_END = re.compile(r"</(p|h[1-6]|ul|ol|div)>", re.I)
_LINE_END = re.compile(r"</(li|tr)>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class RenderedIssue:
    subject: str
    html: str
    text: str


def absolutise(html: str) -> str:
    """Links in e-mail must carry the host: /aktuellt/x/ becomes https://portal/aktuellt/x/."""
    base = settings.PORTAL_BASE_URL.rstrip("/")
    return _HREF.sub(lambda m: f'{m.group(1)}="{base}/', html)


def html_to_text(html: str) -> str:
    """Rich text as readable plain text, links written out after their words."""
    html = _LINK.sub(
        lambda m: (
            f"{m.group(2)} ({m.group(1)})" if m.group(1) != _TAG.sub("", m.group(2)) else m.group(1)
        ),
        html,
    )
    html = re.sub(r"<li[^>]*>", "- ", html, flags=re.I)
    text = _TAG.sub("", _LINE_END.sub("\n", _PARAGRAPH_END.sub("\n\n", html)))
    lines = [" ".join(line.split()) for line in html_lib.unescape(text).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def email_blocks(issue) -> list[dict]:
    blocks = []
    for child in issue.body:
        context = {"value": child.value, "block_type": child.block_type}
        if isinstance(child.block, PullBlock):
            context["items"] = child.block.items(child.value, issue)
            if not context["items"]:
                continue
        if child.block_type == "paragraph":
            context["html"] = absolutise(expand_db_html(child.value.source))
            context["text"] = html_to_text(context["html"])
        if child.block_type == "call_to_action":
            value = child.value
            target = value["page"].get_url() if value.get("page") else value.get("url") or ""
            context["href"] = absolute_url(target) if target else ""
        name = "items" if isinstance(child.block, PullBlock) else child.block_type
        context["template"] = f"newsletters/email/blocks/{name}"
        blocks.append(context)
    return blocks


def issue_render(*, issue, preview: bool = False) -> RenderedIssue:
    """The issue's e-mail in the portal's language, with the unsubscribe link as a mark."""
    from .selectors import issue_audience_names

    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "issue": issue,
            "blocks": email_blocks(issue),
            "audience_names": issue_audience_names(issue),
            "web_url": absolute_url(issue.get_url() or issue.url_path),
            "base_url": settings.PORTAL_BASE_URL.rstrip("/"),
            "unsubscribe_url": UNSUBSCRIBE_MARK,
            "manage_url": absolute_url(reverse("newsletters:manage_request")),
            "members_only": issue.is_members_only,
            "language": settings.LANGUAGE_CODE,
        }
        html = render_to_string("newsletters/email/issue.html", context)
        text = render_to_string("newsletters/email/issue.txt", context)
    if preview:
        html = html.replace(UNSUBSCRIBE_MARK, context["manage_url"])
        text = text.replace(UNSUBSCRIBE_MARK, context["manage_url"])
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return RenderedIssue(subject=issue.title, html=html, text=text)


def issue_render_web(*, issue) -> str:
    """The body of the issue's web page as it is now, kept with the sending so the archive
    shows the issue as it was sent (Dispatch.web_html)."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("newsletters/includes/issue_body.html", {"page": issue})
