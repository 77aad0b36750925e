"""Transactional e-mail: rendered in the recipient's language, sent in the background, retried.

Every e-mail the portal sends goes through `mail_queue`. Templates live under
`templates/email/<name>_subject.txt`, `<name>.txt` and optionally `<name>.html`. Content is
rendered when the mail is queued, so a task never carries model objects, only the message.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django_tasks import task, task_backends

from portal.links import base_url

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
TRANSIENT_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    OSError,
)


def _render_plain(name: str, context: dict) -> str:
    """A plain-text template, not HTML-escaped: "Stöd & boende" must not arrive as "&amp;"."""
    return get_template(name).template.render(Context(context, autoescape=False))


def mail_render(*, template: str, context: dict, language: str | None = None) -> dict:
    """Render subject, text and (when a template exists) HTML in the given language.

    Only the HTML part is escaped; the subject and the text part are plain text."""
    context = {"base_url": base_url(), **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(_render_plain(f"email/{template}_subject.txt", context).split())
        text = _render_plain(f"email/{template}.txt", context)
        try:
            html = render_to_string(f"email/{template}.html", context)
        except TemplateDoesNotExist:
            html = None
    return {"subject": subject, "text": text, "html": html}


def mail_queue(
    *,
    template: str,
    to: list[str] | str,
    context: dict,
    language: str | None = None,
    attachments: list[tuple[str, str, str]] | None = None,
    headers: dict | None = None,
    reply_to: list[str] | None = None,
) -> None:
    """Render now, deliver in the background with retries. Attachments: (name, text, mimetype)."""
    recipients = [to] if isinstance(to, str) else list(to)
    message = mail_render(template=template, context=context, language=language)
    message.update(
        to=recipients,
        attachments=[list(a) for a in attachments or []],
        headers=headers or {},
        reply_to=reply_to or [],
    )
    mail_deliver.enqueue(message=message, attempt=1)


def build_message(message: dict) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["text"],
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=message["to"],
        headers=message.get("headers") or {},
        reply_to=message.get("reply_to") or None,
    )
    if message.get("html"):
        email.attach_alternative(message["html"], "text/html")
    for name, content, mimetype in message.get("attachments") or []:
        email.attach(name, content, mimetype)
    return email


@task()
def mail_deliver(*, message: dict, attempt: int) -> None:
    """Send one message; on a transient SMTP failure try again later with growing delays."""
    try:
        build_message(message).send()
    except smtplib.SMTPRecipientsRefused:
        logger.warning("Recipient refused for %r", message["subject"])
    except TRANSIENT_ERRORS:
        backend = task_backends[mail_deliver.backend]
        if attempt >= MAX_ATTEMPTS or not backend.supports_defer:
            raise
        delay = timedelta(seconds=30 * 2**attempt)
        logger.warning("Mail %r failed, retry %s in %s", message["subject"], attempt, delay)
        mail_deliver.using(run_after=timezone.now() + delay).enqueue(
            message=message, attempt=attempt + 1
        )
