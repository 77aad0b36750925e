"""Everything that changes newsletter state: subscribing, unsubscribing, and sending issues.

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
4. A worker killed with SIGKILL leaves its chunk claimed. `tasks.dispatch_watch` runs every
   lease period while the dispatch is open; when nothing has moved for a whole lease it queues
   a new run, which reclaims the stale rows. Restarting the worker is all it takes.

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
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.signing import BadSignature, SignatureExpired, TimestampSigner
from django.db import connection, transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from portal.dates import iso
from portal.links import absolute_url
from portal.mail import mail_queue

from .mime import MessageTemplate, Recipient, message_id, unique_message_id
from .models import (
    Delivery,
    DeliveryStatus,
    Dispatch,
    DispatchStatus,
    Subscriber,
    Subscription,
    SubscriptionStatus,
    normalise_email,
)
from .rendering import issue_render
from .selectors import issue_audience

logger = logging.getLogger(__name__)

# --- settings (overridable, e.g. short leases in the fault tests) ---------------------------------


def lease_seconds() -> float:
    """How long a claim holds. Far longer than a chunk takes; a dead worker's rows wait this."""
    return float(getattr(settings, "NEWSLETTER_LEASE_SECONDS", 300))


def chunk_size() -> int:
    return int(getattr(settings, "NEWSLETTER_CHUNK_SIZE", 200))


def retry_base_seconds() -> float:
    return float(getattr(settings, "NEWSLETTER_RETRY_SECONDS", 60))


def max_attempts() -> int:
    return int(getattr(settings, "NEWSLETTER_MAX_ATTEMPTS", 8))


def run_budget_seconds() -> float:
    """A run hands over to a fresh task after this long, so one task never hogs a worker."""
    return float(getattr(settings, "NEWSLETTER_RUN_SECONDS", 120))


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(retry_base_seconds() * 2 ** max(attempts - 1, 0), 6 * 3600))


def envelope_sender() -> str:
    return parseaddr(getattr(settings, "NEWSLETTER_RETURN_PATH", settings.DEFAULT_FROM_EMAIL))[1]


def mail_domain() -> str:
    return envelope_sender().rpartition("@")[2] or "localhost"


def unsubscribe_mailbox() -> str:
    address = getattr(settings, "NEWSLETTER_UNSUBSCRIBE_EMAIL", "")
    return address or f"unsubscribe@{mail_domain()}"


# --- subscribing ----------------------------------------------------------------------------------

_signer = TimestampSigner(salt="newsletters.subscriber")
CONFIRM_VALID_FOR = timedelta(days=7)
MANAGE_VALID_FOR = timedelta(days=30)
CONFIRM_RESEND_AFTER = timedelta(minutes=10)


def subscriber_token(*, subscriber: Subscriber, purpose: str) -> str:
    return _signer.sign(f"{purpose}:{subscriber.pk}")


def subscriber_from_token(*, token: str, purpose: str) -> Subscriber | None:
    max_age = CONFIRM_VALID_FOR if purpose == "confirm" else MANAGE_VALID_FOR
    try:
        value = _signer.unsign(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    token_purpose, _sep, pk = value.partition(":")
    if token_purpose != purpose or not pk.isdigit():
        return None
    return Subscriber.objects.filter(pk=int(pk)).first()


def subscriber_subscribe(
    *, email: str, lists, source: str, consent_text: str, language: str = ""
) -> Subscriber:
    """Record consent for each list (pending until confirmed) and e-mail the confirmation link.

    Already confirmed subscriptions stay as they are; the e-mail never reveals whether the
    address was known, so the form cannot be used to probe who subscribes. Asking again within
    a few minutes sends no second e-mail, so the form cannot be used to flood someone's inbox.
    """
    now = timezone.now()
    recently = now - CONFIRM_RESEND_AFTER
    asked_recently = []
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.get_or_create(
            email=normalise_email(email),
            defaults={"language": language or settings.LANGUAGE_CODE},
        )
        for subscriber_list in lists:
            subscription, created = Subscription.objects.get_or_create(
                subscriber=subscriber,
                subscriber_list=subscriber_list,
                defaults={
                    "consent_at": now,
                    "consent_source": source[:200],
                    "consent_text": consent_text,
                },
            )
            pending = subscription.status == SubscriptionStatus.PENDING
            asked_recently.append(
                created is False and pending and subscription.consent_at > recently
            )
            if not created and subscription.status != SubscriptionStatus.CONFIRMED:
                subscription.status = SubscriptionStatus.PENDING
                subscription.consent_at = now
                subscription.consent_source = source[:200]
                subscription.consent_text = consent_text
                subscription.unsubscribed_at = None
                subscription.save()
    if asked_recently and all(asked_recently):
        return subscriber
    token = subscriber_token(subscriber=subscriber, purpose="confirm")
    mail_queue(
        template="newsletters_confirm",
        to=subscriber.email,
        context={
            "lists": list(lists),
            "confirm_url": absolute_url(f"/tjanster/nyhetsbrev/bekrafta/{token}/"),
            "days": CONFIRM_VALID_FOR.days,
        },
        language=subscriber.language,
    )
    return subscriber


def subscriber_confirm(*, subscriber: Subscriber) -> int:
    """The second step of the double opt-in: pending subscriptions become active."""
    now = timezone.now()
    return subscriber.subscriptions.filter(status=SubscriptionStatus.PENDING).update(
        status=SubscriptionStatus.CONFIRMED, confirmed_at=now
    )


def subscriptions_purge_unconfirmed(*, older_than: timedelta = CONFIRM_VALID_FOR) -> int:
    """Forget consent that was never confirmed once its link has expired; returns how many.

    An address left with no list, no delivery and nothing to remember (no opt-out of member
    newsletters, no bounce) is deleted with it: it was never more than a typed-in address.
    """
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        stale = Subscription.objects.filter(
            status=SubscriptionStatus.PENDING, consent_at__lt=cutoff
        )
        subscriber_ids = set(stale.values_list("subscriber_id", flat=True))
        deleted, _per_model = stale.delete()
        Subscriber.objects.filter(
            pk__in=subscriber_ids,
            subscriptions__isnull=True,
            members_opted_out_at__isnull=True,
            undeliverable_at__isnull=True,
        ).exclude(email__in=Delivery.objects.values("email")).delete()
    return deleted


def subscriber_set_lists(*, subscriber: Subscriber, lists) -> None:
    """From the manage page: unticked lists end; ticked lists already confirmed stay."""
    now = timezone.now()
    keep = {subscriber_list.pk for subscriber_list in lists}
    subscriber.subscriptions.exclude(subscriber_list_id__in=keep).exclude(
        status=SubscriptionStatus.UNSUBSCRIBED
    ).update(status=SubscriptionStatus.UNSUBSCRIBED, unsubscribed_at=now)
    # Ticking a list again on the manage page is a fresh consent from the address's owner
    # (they opened a link sent to that address), so it counts as confirmed.
    for subscriber_list in lists:
        Subscription.objects.update_or_create(
            subscriber=subscriber,
            subscriber_list=subscriber_list,
            defaults={
                "status": SubscriptionStatus.CONFIRMED,
                "unsubscribed_at": None,
            },
            create_defaults={
                "status": SubscriptionStatus.CONFIRMED,
                "consent_at": now,
                "confirmed_at": now,
                "consent_source": "manage page",
            },
        )


def subscriber_send_manage_link(*, email: str) -> None:
    """E-mail a link to the manage page; silent when the address is unknown (no probing)."""
    subscriber = Subscriber.objects.filter(email=normalise_email(email)).first()
    if subscriber is None:
        return
    token = subscriber_token(subscriber=subscriber, purpose="manage")
    mail_queue(
        template="newsletters_manage",
        to=subscriber.email,
        context={
            "manage_url": absolute_url(f"/tjanster/nyhetsbrev/hantera/{token}/"),
            "days": MANAGE_VALID_FOR.days,
        },
        language=subscriber.language,
    )


def subscriber_export(*, email: str, user=None) -> dict:
    """Everything stored about one address, for a data access request (GDPR art. 15).

    The manage page's link proves the address only. A member's own copy passes their account
    too: the member issues sent to it are on record under the address it had then, which may
    not be today's. An address the newsletters never stored gets the same shape, empty.
    """
    address = normalise_email(email)
    stored = Subscriber.objects.filter(email=address).values().first() or {}
    subscriptions = Subscription.objects.filter(subscriber__email=address)
    sent_to = Q(email=address)
    if user is not None:
        sent_to |= Q(user=user)
    return {
        "email": address,
        "language": stored.get("language"),
        "created_at": iso(stored.get("created_at")),
        "undeliverable_at": iso(stored.get("undeliverable_at")),
        "undeliverable_reason": stored.get("undeliverable_reason", ""),
        "members_opted_out_at": iso(stored.get("members_opted_out_at")),
        "subscriptions": [
            {
                "list": subscription.subscriber_list.name,
                "status": subscription.status,
                "consent_at": iso(subscription.consent_at),
                "consent_source": subscription.consent_source,
                "consent_text": subscription.consent_text,
                "confirmed_at": iso(subscription.confirmed_at),
                "unsubscribed_at": iso(subscription.unsubscribed_at),
            }
            for subscription in subscriptions.select_related("subscriber_list")
        ],
        "deliveries": [
            {
                "issue": delivery.dispatch.issue.title,
                "status": delivery.status,
                "sent_at": iso(delivery.sent_at),
            }
            for delivery in Delivery.objects.filter(sent_to).select_related("dispatch__issue")
        ],
    }


def subscriber_delete(*, subscriber: Subscriber) -> None:
    """Erase the address: subscriptions, consent records and every delivery record naming it.

    Deliveries not yet sent are removed too, so no issue in progress reaches it afterwards.
    """
    with transaction.atomic():
        Delivery.objects.filter(email=subscriber.email).delete()
        subscriber.delete()


def account_erase(*, user) -> None:
    """Before a member's account is deleted: forget them as a newsletter recipient.

    The Subscriber row of their address goes with its consent records and every delivery to the
    address (subscriber_delete), and so do deliveries to the account under an earlier address.
    Nothing is kept, not even an opt-out: the account leaves every network with it, so no member
    issue is addressed to it again, and list issues go only to confirmed subscriptions.
    """
    with transaction.atomic():
        subscriber = Subscriber.objects.filter(email=normalise_email(user.email)).first()
        if subscriber is not None:
            subscriber_delete(subscriber=subscriber)
        Delivery.objects.filter(user=user).delete()


# --- unsubscribing from a received issue ----------------------------------------------------------


def delivery_token(delivery_id: int) -> str:
    """The secret in a delivery's unsubscribe link: derived, so nothing extra is stored."""
    return salted_hmac("newsletters.unsubscribe", str(delivery_id)).hexdigest()[:32]


def delivery_from_token(*, delivery_id: int, token: str) -> Delivery | None:
    if not constant_time_compare(delivery_token(delivery_id), token):
        return None
    return Delivery.objects.select_related("dispatch").filter(pk=delivery_id).first()


def delivery_unsubscribe(*, delivery: Delivery) -> None:
    """Stop what brought this issue to this address: its lists, and member issues if so.

    This is the RFC 8058 one-click action: it must complete on the POST alone.
    """
    now = timezone.now()
    list_ids, member = [], False
    for source in delivery.sources.split():
        kind, _sep, pk = source.partition(":")
        if kind == "list" and pk.isdigit():
            list_ids.append(int(pk))
        elif kind == "network":
            member = True
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.get_or_create(email=delivery.email)
        subscriber.subscriptions.filter(subscriber_list_id__in=list_ids).exclude(
            status=SubscriptionStatus.UNSUBSCRIBED
        ).update(status=SubscriptionStatus.UNSUBSCRIBED, unsubscribed_at=now)
        if member and subscriber.members_opted_out_at is None:
            subscriber.members_opted_out_at = now
            subscriber.save(update_fields=["members_opted_out_at"])


def member_newsletters_set(*, email: str, receive: bool) -> None:
    subscriber, _created = Subscriber.objects.get_or_create(email=normalise_email(email))
    subscriber.members_opted_out_at = None if receive else timezone.now()
    subscriber.save(update_fields=["members_opted_out_at"])


# --- scheduling -----------------------------------------------------------------------------------


def dispatch_schedule(*, issue, user=None, send_at=None) -> Dispatch:
    """Queue the issue for sending now or at `send_at`. An issue is sent once."""
    from . import tasks

    if not issue.live:
        raise ValidationError(_("Publish the issue before sending it."))
    send_at = send_at or timezone.now()
    with transaction.atomic():
        dispatch = Dispatch.objects.filter(issue=issue).first()
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
        at=send_at + timedelta(seconds=lease_seconds()),
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
        unsubscribe_url=absolute_url(f"/tjanster/nyhetsbrev/avsluta/{delivery_id}/{token}/"),
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


def address_mark_undeliverable(*, email: str, reason: str) -> None:
    """No newsletter goes to this address again: the receiving server refused it for good
    (a 5xx answer while sending, or a DSN bounce read by portal/inbound.py)."""
    subscriber, _created = Subscriber.objects.get_or_create(email=normalise_email(email))
    if subscriber.undeliverable_at is None:
        subscriber.undeliverable_at = timezone.now()
        subscriber.undeliverable_reason = reason[:1000]
        subscriber.save(update_fields=["undeliverable_at", "undeliverable_reason"])


def _release(token: str, pks, *, delay: timedelta) -> None:
    """Rows of a chunk not tried because the connection broke: back to waiting, no attempt used."""
    Delivery.objects.filter(pk__in=pks, claim_token=token, status=DeliveryStatus.CLAIMED).update(
        status=DeliveryStatus.PENDING, next_attempt_at=timezone.now() + delay, claim_token=""
    )


def _renew(token: str, pks) -> None:
    Delivery.objects.filter(pk__in=pks, claim_token=token, status=DeliveryStatus.CLAIMED).update(
        claimed_at=timezone.now()
    )


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
    renew_every = timedelta(seconds=lease_seconds() / 3)
    renewed_at = timezone.now()
    pks = [pk for pk, _email in rows]
    for index, (pk, email) in enumerate(rows):
        if timezone.now() - renewed_at > renew_every:
            _renew(token, pks)
            renewed_at = timezone.now()
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
        unsubscribe_url=absolute_url("/tjanster/nyhetsbrev/hantera/"),
        unsubscribe_mailto=f"mailto:{unsubscribe_mailbox()}",
    )
    transport = Transport()
    try:
        transport.send(to=email, raw=template.render(recipient))
    finally:
        transport.close()
