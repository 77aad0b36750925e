"""Newsletter subscribers: subscribing, confirming, managing, unsubscribing, and their data.

Scheduling and sending issues is `sending.py`; it uses `delivery_token` from here for the
unsubscribe link of each message.
"""

from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.signing import BadSignature, SignatureExpired, TimestampSigner
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from portal.dates import iso
from portal.links import absolute_url
from portal.mail import mail_queue

from .models import (
    Delivery,
    Subscriber,
    Subscription,
    SubscriptionStatus,
    normalise_email,
)

# --- the newsletter's addresses -------------------------------------------------------------------


def envelope_sender() -> str:
    return parseaddr(getattr(settings, "NEWSLETTER_RETURN_PATH", settings.DEFAULT_FROM_EMAIL))[1]


def mail_domain() -> str:
    return envelope_sender().rpartition("@")[2] or "localhost"


def unsubscribe_mailbox() -> str:
    """Where mailto: unsubscribes go (read back by portal/inbound.py)."""
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
            "confirm_url": absolute_url(reverse("newsletters:confirm", args=[token])),
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
            "manage_url": absolute_url(reverse("newsletters:manage", args=[token])),
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


def address_mark_undeliverable(*, email: str, reason: str) -> None:
    """No newsletter goes to this address again: the receiving server refused it for good
    (a 5xx answer while sending, or a DSN bounce read by portal/inbound.py)."""
    subscriber, _created = Subscriber.objects.get_or_create(email=normalise_email(email))
    if subscriber.undeliverable_at is None:
        subscriber.undeliverable_at = timezone.now()
        subscriber.undeliverable_reason = reason[:1000]
        subscriber.save(update_fields=["undeliverable_at", "undeliverable_reason"])
