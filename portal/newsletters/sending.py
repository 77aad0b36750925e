"""Sending newsletter issues: scheduling, leases on Delivery rows, chunks over SMTP.

Sending, and why it neither stops halfway nor sends twice
---------------------------------------------------------
`dispatch_schedule` records a Dispatch and queues `tasks.dispatch_run` for the chosen time.
The first run resolves the audience and writes one Delivery row per address (unique per
dispatch and address), together with a snapshot of the rendered e-mail. From then on the rows
are the truth; any number of workers may work on them at once:

1. A worker *claims* a chunk: one UPDATE sets status=claimed, claimed_at=now and its own
   claim token on rows that are waiting and due, or claimed by someone whose lease ran out.
   The WHERE clause is checked again by the UPDATE, so two workers never hold the same row.
2. It sends the chunk over one SMTP connection (kept open for the next chunk), and marks each
   row sent *right after* the server accepted that message (250 after DATA).
3. A 4xx answer or a lost connection puts the row back to waiting with a growing delay;
   a 5xx answer fails the row for good and marks the address undeliverable.
4. While it sends, the worker renews its claim every `heartbeat_seconds()` (a ninth of the
   lease): the lease is a heartbeat. A worker killed with SIGKILL stops renewing, so its chunk
   goes stale one lease (45 s) later. `tasks.dispatch_watch` runs every `watch_seconds()`
   (a third of the lease) while the dispatch is open; when no row moved for a whole lease it
   queues a new run, which reclaims the stale rows: sending resumes within a minute of the
   kill, on whichever worker is alive. Meanwhile the progress page says it is paused.

At-least-once, by choice. The one window where a message can go out twice is a worker dying
after the server answered 250 but before the row's UPDATE committed: microseconds, once per
crash. Closing it would mean marking rows sent *before* the SMTP transaction (at-most-once),
which loses the message whenever the crash or a connection drop happens during the transaction:
a much wider window, and for the networks a missed newsletter is worse than a duplicate. The
window is also softened: a delivery is always sent with the same Message-ID, which mail stores
such as Gmail use to collapse duplicates.
"""

import logging
import smtplib
import uuid
from dataclasses import dataclass
from datetime import timedelta
from email import message_from_bytes, policy

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import connection, transaction
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.links import absolute_url

from .mime import MessageTemplate, Recipient, message_id, unique_message_id
from .models import Delivery, DeliveryStatus, Dispatch, DispatchStatus
from .rendering import issue_render, issue_render_web
from .selectors import dispatch_progress, issue_audience
from .services import (
    address_mark_undeliverable,
    delivery_token,
    envelope_sender,
    mail_domain,
    unsubscribe_mailbox,
)

logger = logging.getLogger(__name__)

# --- settings (overridable, e.g. short leases in the fault tests) ---------------------------------


DEFAULT_LEASE_SECONDS = 45
DEFAULT_CHUNK_SIZE = 200


def lease_seconds() -> float:
    """How long a claim holds without renewal; a dead worker's rows wait this long."""
    return float(getattr(settings, "NEWSLETTER_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))


def heartbeat_seconds() -> float:
    """How often a sending worker renews its claim: many beats fit in a lease."""
    return lease_seconds() / 9


def watch_seconds() -> float:
    """How often `tasks.dispatch_watch` looks for a stalled dispatch."""
    return lease_seconds() / 3


def chunk_size() -> int:
    return int(getattr(settings, "NEWSLETTER_CHUNK_SIZE", DEFAULT_CHUNK_SIZE))


def retry_base_seconds() -> float:
    return float(getattr(settings, "NEWSLETTER_RETRY_SECONDS", 60))


def max_attempts() -> int:
    return int(getattr(settings, "NEWSLETTER_MAX_ATTEMPTS", 8))


def run_budget_seconds() -> float:
    """A run hands over to a fresh task after this long, so one task never hogs a worker."""
    return float(getattr(settings, "NEWSLETTER_RUN_SECONDS", 120))


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(retry_base_seconds() * 2 ** max(attempts - 1, 0), 6 * 3600))


# --- scheduling -----------------------------------------------------------------------------------


def dispatch_schedule(*, issue, user=None, send_at=None, allow_empty: bool = False) -> Dispatch:
    """Queue the issue for sending now or at `send_at`. An issue is sent once (the one Dispatch
    per issue, checked under a lock). An empty issue is refused unless the sender said
    `allow_empty` after being warned."""
    from . import tasks
    from .selectors import issue_is_empty

    if not issue.live:
        raise ValidationError(_("Publish the issue before sending it."))
    if not allow_empty and issue_is_empty(issue):
        raise ValidationError(_("The issue is empty: it has no introduction and no content."))
    send_at = send_at or timezone.now()
    with transaction.atomic():
        dispatch = Dispatch.objects.select_for_update().filter(issue=issue).first()
        if dispatch is not None and dispatch.status != DispatchStatus.CANCELLED:
            raise ValidationError(_("This issue has already been sent or scheduled."))
        if dispatch is None:
            dispatch = Dispatch(issue=issue)
        dispatch.status = DispatchStatus.SCHEDULED
        dispatch.send_at = send_at
        dispatch.created_by = user
        dispatch.save()
    tasks.enqueue(tasks.dispatch_run, at=send_at, dispatch_id=dispatch.pk)
    tasks.enqueue(
        tasks.dispatch_watch,
        at=send_at + timedelta(seconds=watch_seconds()),
        dispatch_id=dispatch.pk,
    )
    return dispatch


def dispatch_cancel(*, dispatch: Dispatch) -> bool:
    """A scheduled dispatch that has not started can be called off (its tasks then do nothing)."""
    return bool(
        Dispatch.objects.filter(
            pk=dispatch.pk, status=DispatchStatus.SCHEDULED, started_at__isnull=True
        ).update(status=DispatchStatus.CANCELLED)
    )


def dispatch_start(*, dispatch_id: int) -> Dispatch | None:
    """Resolve the audience and snapshot the e-mail, exactly once per dispatch.

    Returns the dispatch when there is sending to do, None when it was cancelled or finished.
    """
    with transaction.atomic():
        dispatch = Dispatch.objects.select_for_update().select_related("issue").get(pk=dispatch_id)
        if dispatch.status in (DispatchStatus.CANCELLED, DispatchStatus.FINISHED):
            return None
        if dispatch.started_at is not None:
            return dispatch
        issue = dispatch.issue.specific
        rendered = issue_render(issue=issue)
        Delivery.objects.bulk_create(
            [
                Delivery(
                    dispatch=dispatch,
                    email=member.email,
                    user_id=member.user_id,
                    subscriber_id=member.subscriber_id,
                    sources=" ".join(member.sources)[:255],
                )
                for member in issue_audience(issue)
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )
        dispatch.subject = rendered.subject
        dispatch.html = rendered.html
        dispatch.text = rendered.text
        dispatch.web_html = issue_render_web(issue=issue)
        dispatch.status = DispatchStatus.SENDING
        dispatch.started_at = timezone.now()
        dispatch.save()
    return dispatch


# --- sending --------------------------------------------------------------------------------------


class _RawEmail(EmailMessage):
    """A ready-made message for the non-SMTP backends (console in development, locmem in tests)."""

    def __init__(self, raw: bytes, to: str):
        super().__init__(to=[to])
        self.raw = raw

    def message(self, *, policy=policy.SMTP):
        return message_from_bytes(self.raw, policy=policy)


class Transport:
    """One SMTP connection, opened on first use and reused for every message after."""

    def __init__(self):
        self.backend = get_connection()
        self.is_smtp = isinstance(self.backend, SMTPBackend)

    def send(self, *, to: str, raw: bytes) -> None:
        if not self.is_smtp:
            self.backend.send_messages([_RawEmail(raw, to)])
            return
        if self.backend.connection is None:
            self.backend.open()
        self.backend.connection.sendmail(envelope_sender(), [to], raw)

    def reset(self) -> None:
        """Drop a connection that failed; the next send opens a new one."""
        if self.is_smtp and self.backend.connection is not None:
            try:
                self.backend.connection.close()
            except Exception:  # noqa: BLE001 - a broken socket may fail to close; it is gone anyway
                logger.debug("closing a failed SMTP connection failed", exc_info=True)
            self.backend.connection = None

    def close(self) -> None:
        if self.is_smtp:
            try:
                self.backend.close()
            except (smtplib.SMTPException, OSError):
                self.backend.connection = None


CONNECTION_ERRORS = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError)


def issue_template(*, subject: str, html: str, text: str) -> MessageTemplate:
    return MessageTemplate(
        subject=subject,
        html=html,
        text=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        list_id=f"<nyhetsbrev.{mail_domain()}>",
    )


def delivery_recipient(delivery_id: int, email: str) -> Recipient:
    token = delivery_token(delivery_id)
    return Recipient(
        to=email,
        message_id=message_id(key=f"newsletter.{delivery_id}", domain=mail_domain()),
        unsubscribe_url=absolute_url(reverse("newsletters:unsubscribe", args=[delivery_id, token])),
        unsubscribe_mailto=f"mailto:{unsubscribe_mailbox()}?subject=unsubscribe-{delivery_id}-{token}",
    )


def deliveries_claim(*, dispatch_id: int, limit: int) -> tuple[str, list[tuple[int, str]]]:
    """Take up to `limit` rows for this worker; returns its claim token and (id, address) pairs."""
    now = timezone.now()
    lease = lease_seconds()
    candidates = Delivery.objects.filter(dispatch_id=dispatch_id).claimable(
        now=now, lease_seconds=lease
    )
    ids = list(candidates.order_by("pk").values_list("pk", flat=True)[:limit])
    if not ids:
        return "", []
    token = uuid.uuid4().hex
    Delivery.objects.filter(pk__in=ids).claimable(now=now, lease_seconds=lease).update(
        status=DeliveryStatus.CLAIMED, claimed_at=now, claim_token=token
    )
    rows = Delivery.objects.filter(pk__in=ids, claim_token=token, status=DeliveryStatus.CLAIMED)
    return token, list(rows.order_by("pk").values_list("pk", "email"))


_MARK_SENT_SQL = (
    f"UPDATE {Delivery._meta.db_table} SET status = %s, sent_at = %s, error = '', "
    "claim_token = '' WHERE id = %s AND claim_token = %s"
)


def _mark_sent(cursor, pk: int, token: str) -> None:
    """The one statement per message, so plain SQL on a cursor kept open for the chunk."""
    cursor.execute(_MARK_SENT_SQL, [DeliveryStatus.SENT, timezone.now(), pk, token])


def _mark_retry(pk: int, token: str, error: str) -> None:
    """A transient failure: wait and try again, until the attempts are used up."""
    row = Delivery.objects.filter(pk=pk, claim_token=token).values("attempts", "email").first()
    if row is None:
        return
    attempts = row["attempts"] + 1
    if attempts >= max_attempts():
        _mark_failed(
            pk,
            token,
            _("Gave up after %(n)s attempts: %(error)s") % {"n": attempts, "error": error},
            permanent=False,
        )
        return
    Delivery.objects.filter(pk=pk, claim_token=token).update(
        status=DeliveryStatus.PENDING,
        attempts=attempts,
        next_attempt_at=timezone.now() + backoff(attempts),
        error=error[:1000],
        claim_token="",
    )


def _mark_failed(pk: int, token: str, error: str, *, permanent: bool) -> None:
    updated = Delivery.objects.filter(pk=pk, claim_token=token).update(
        status=DeliveryStatus.FAILED, error=error[:1000], claim_token=""
    )
    if updated and permanent:
        email = Delivery.objects.values_list("email", flat=True).get(pk=pk)
        address_mark_undeliverable(email=email, reason=error)


def _release(token: str, pks, *, delay: timedelta) -> None:
    """Rows of a chunk not tried because the connection broke: back to waiting, no attempt used."""
    Delivery.objects.filter(pk__in=pks, claim_token=token, status=DeliveryStatus.CLAIMED).update(
        status=DeliveryStatus.PENDING, next_attempt_at=timezone.now() + delay, claim_token=""
    )


def _renew(token: str, pks) -> set[int]:
    """The lease's heartbeat; returns the rows still held (a stall past the lease loses them)."""
    held = Delivery.objects.filter(pk__in=pks, claim_token=token, status=DeliveryStatus.CLAIMED)
    held.update(claimed_at=timezone.now())
    return set(held.values_list("pk", flat=True))


@dataclass
class RunResult:
    sent: int = 0
    failed: int = 0
    retry: int = 0
    connection_lost: bool = False
    out_of_time: bool = False


def dispatch_send(*, dispatch: Dispatch, budget_seconds: float | None = None) -> RunResult:
    """Send claimed chunks until none is left, the connection breaks or the budget is spent."""
    template = issue_template(subject=dispatch.subject, html=dispatch.html, text=dispatch.text)
    transport = Transport()
    result = RunResult()
    started = timezone.now()
    budget = timedelta(seconds=budget_seconds or run_budget_seconds())
    try:
        with connection.cursor() as cursor:
            while not result.connection_lost:
                if timezone.now() - started > budget:
                    result.out_of_time = True
                    break
                token, rows = deliveries_claim(dispatch_id=dispatch.pk, limit=chunk_size())
                if not rows:
                    break
                _send_chunk(cursor, transport, template, token, rows, result)
    finally:
        transport.close()
    return result


def _send_chunk(cursor, transport, template, token, rows, result: RunResult) -> None:
    renew_every = timedelta(seconds=heartbeat_seconds())
    renewed_at = timezone.now()
    pks = [pk for pk, _email in rows]
    held = set(pks)
    for index, (pk, email) in enumerate(rows):
        if timezone.now() - renewed_at > renew_every:
            held = _renew(token, pks[index:])
            renewed_at = timezone.now()
        if pk not in held:
            continue  # another worker took it over after this one stalled past the lease
        try:
            transport.send(to=email, raw=template.render(delivery_recipient(pk, email)))
        except smtplib.SMTPRecipientsRefused as error:
            code, message = next(iter(error.recipients.values()))
            _handle_refusal(pk, token, code, message, result)
        except smtplib.SMTPResponseException as error:
            _handle_refusal(pk, token, error.smtp_code, error.smtp_error, result)
        except CONNECTION_ERRORS as error:
            logger.warning("SMTP connection lost: %s", error)
            transport.reset()
            _mark_retry(pk, token, f"{type(error).__name__}: {error}")
            result.retry += 1
            result.connection_lost = True
            _release(token, pks[index + 1 :], delay=backoff(1))
            return
        else:
            _mark_sent(cursor, pk, token)
            result.sent += 1


def _handle_refusal(pk, token, code, message, result: RunResult) -> None:
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    error = f"{code} {message}"
    if 500 <= int(code) < 600:
        _mark_failed(pk, token, error, permanent=True)
        result.failed += 1
    else:
        _mark_retry(pk, token, error)
        result.retry += 1


def dispatch_settle(*, dispatch_id: int):
    """Finish the dispatch when no row is left; otherwise say when to look again (or None)."""
    deliveries = Delivery.objects.filter(dispatch_id=dispatch_id)
    if not deliveries.unfinished().exists():
        Dispatch.objects.filter(pk=dispatch_id, status=DispatchStatus.SENDING).update(
            status=DispatchStatus.FINISHED, finished_at=timezone.now()
        )
        return None
    return deliveries.filter(status=DeliveryStatus.PENDING).aggregate(at=Min("next_attempt_at"))[
        "at"
    ]


def dispatch_is_stalled(*, dispatch_id: int) -> bool:
    """True when rows are waiting or stale but no worker touched any of them for a lease."""
    now = timezone.now()
    lease = timedelta(seconds=lease_seconds())
    deliveries = Delivery.objects.filter(dispatch_id=dispatch_id)
    if (
        deliveries.filter(Q(claimed_at__gte=now - lease) | Q(sent_at__gte=now - lease))
        .filter(status__in=[DeliveryStatus.CLAIMED, DeliveryStatus.SENT])
        .exists()
    ):
        return False
    return deliveries.claimable(now=now, lease_seconds=lease_seconds()).exists()


def dispatch_is_paused(*, dispatch: Dispatch) -> bool:
    """Due but nobody at it: sending stalled, or a due dispatch no worker has started."""
    if dispatch.status == DispatchStatus.SENDING:
        return dispatch_is_stalled(dispatch_id=dispatch.pk)
    late = timezone.now() - timedelta(seconds=lease_seconds())
    return dispatch.status == DispatchStatus.SCHEDULED and dispatch.send_at < late


def dispatch_status(*, dispatch: Dispatch) -> dict:
    """The progress page's figures, and whether the sending is paused for want of a worker."""
    progress = dispatch_progress(dispatch)
    progress["paused"] = dispatch_is_paused(dispatch=dispatch)
    if progress["paused"]:
        progress["status_label"] = _("Paused: no worker is sending")
    return progress


# --- a test to oneself ----------------------------------------------------------------------------


def issue_send_test(*, issue, email: str) -> None:
    """The issue as it will arrive, to the sender alone; its unsubscribe link does nothing."""
    rendered = issue_render(issue=issue, preview=True)
    template = issue_template(
        subject=_("[Test] %(subject)s") % {"subject": rendered.subject},
        html=rendered.html,
        text=rendered.text,
    )
    recipient = Recipient(
        to=email,
        message_id=unique_message_id(mail_domain()),
        unsubscribe_url=absolute_url(reverse("newsletters:manage_request")),
        unsubscribe_mailto=f"mailto:{unsubscribe_mailbox()}",
    )
    transport = Transport()
    try:
        transport.send(to=email, raw=template.render(recipient))
    finally:
        transport.close()
