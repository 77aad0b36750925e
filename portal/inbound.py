"""The portal's inbound mail: one door for every message the portal itself receives.

The production mail server delivers the mailbox in PORTAL_REPLY_ADDRESS (with its plus-addresses),
the newsletter unsubscribe mailbox and the bounce address to `manage.py mail_receiver`, over LMTP
or SMTP (aiosmtpd); see the README.

Each message is read once, here, and handed to what it is:
- a delivery status notification (RFC 3464 DSN) that says an address failed for good marks that
  address undeliverable, so no newsletter goes to it again;
- a mailto: unsubscribe request (List-Unsubscribe, the subject carries the delivery's token) ends
  that subscription, as the one-click link does;
- anything else is offered to the apps through the `portal_inbound_mail` hook: the events app
  reads calendar replies (METHOD:REPLY) there.
A message that is none of these, or whose token is forged, changes nothing and is dropped.
"""

import logging
import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

from wagtail import hooks

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SUBJECT = re.compile(r"unsubscribe-(?P<delivery>\d+)-(?P<token>[0-9a-f]+)", re.I)


def message_parse(raw: bytes) -> EmailMessage:
    return message_from_bytes(raw, policy=policy.default)


def addresses_of(message: EmailMessage, recipients=()) -> list[str]:
    """Where the message was sent: the envelope first, then To, Cc and Delivered-To, lower case."""
    found = [address for address in recipients if address]
    headers = [
        str(value) for key in ("To", "Cc", "Delivered-To") for value in message.get_all(key, [])
    ]
    found += [address for _name, address in getaddresses(headers) if address]
    seen = []
    for address in (a.strip().lower() for a in found):
        if address not in seen:
            seen.append(address)
    return seen


def bounced_addresses(message: EmailMessage) -> list[tuple[str, str]]:
    """(address, reason) for each recipient a DSN reports as failed for good (status 5.x.x)."""
    if message.get_content_type() != "multipart/report":
        return []
    if message.get_param("report-type", "").lower() != "delivery-status":
        return []
    failed = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        # The standard library reads the status as blocks of fields: the first is about the
        # message, each further one about one recipient.
        for block in part.get_payload()[1:]:
            action = str(block.get("Action", "")).strip().lower()
            status = str(block.get("Status", "")).strip()
            recipient = str(block.get("Final-Recipient") or block.get("Original-Recipient") or "")
            _type, _sep, address = recipient.partition(";")
            address = parseaddr(address.strip())[1].lower()
            if action == "failed" and status.startswith("5") and address:
                diagnostic = str(block.get("Diagnostic-Code", "")).strip()
                failed.append((address, f"{status} {diagnostic}".strip()))
    return failed


def _unsubscribe_request(message: EmailMessage, addresses) -> str | None:
    from portal.newsletters import services as newsletters

    if newsletters.unsubscribe_mailbox().lower() not in addresses:
        return None
    match = UNSUBSCRIBE_SUBJECT.search(str(message.get("Subject", "")))
    if match is None:
        return "unsubscribe: no token"
    delivery = newsletters.delivery_from_token(
        delivery_id=int(match["delivery"]), token=match["token"].lower()
    )
    if delivery is None:
        return "unsubscribe: bad token"
    newsletters.delivery_unsubscribe(delivery=delivery)
    return "unsubscribed"


def message_handle(raw: bytes, *, recipients=()) -> str:
    """Act on one received message; returns what was done (for the log and the tests)."""
    from portal.newsletters import services as newsletters

    message = message_parse(raw)
    bounced = bounced_addresses(message)
    if bounced:
        for address, reason in bounced:
            newsletters.address_mark_undeliverable(email=address, reason=reason)
        return "bounce: " + ", ".join(address for address, _reason in bounced)
    addresses = addresses_of(message, recipients)
    outcome = _unsubscribe_request(message, addresses)
    if outcome is not None:
        return outcome
    for handler in hooks.get_hooks("portal_inbound_mail"):
        outcome = handler(message=message, addresses=addresses)
        if outcome is not None:
            return outcome
    return "ignored"


# --- the receivers ------------------------------------------------------------------------------


def _handle_in_thread(raw: bytes, recipients: list[str]) -> str:
    """Run in a worker thread, with a database connection of its own that is closed after."""
    from django.db import close_old_connections

    close_old_connections()
    try:
        outcome = message_handle(raw, recipients=recipients)
    finally:
        close_old_connections()
    logger.info("inbound mail to %s: %s", ", ".join(recipients), outcome)
    return outcome


class InboundHandler:
    """aiosmtpd handler: every accepted message goes to message_handle.

    A message that fails to be handled (the database is down, say) is answered 451, so the
    sending mail server keeps it and tries again later.
    """

    def __init__(self, *, lmtp: bool):
        self.lmtp = lmtp

    async def handle_DATA(self, server, session, envelope):
        from asgiref.sync import sync_to_async

        recipients = list(envelope.rcpt_tos)
        try:
            await sync_to_async(_handle_in_thread, thread_sensitive=False)(
                envelope.original_content, recipients
            )
        except Exception:
            logger.exception("inbound mail could not be handled; the sender will try again")
            status = "451 4.3.0 Try again later"
        else:
            status = "250 2.0.0 OK"
        # LMTP answers DATA once per recipient (RFC 2033); SMTP once.
        return "\r\n".join([status] * len(recipients)) if self.lmtp else status


def receiver_controller(*, protocol: str, host: str, port: int):
    """An aiosmtpd server (not yet started) speaking LMTP or SMTP on host:port."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.lmtp import LMTP

    lmtp = protocol.lower() == "lmtp"
    handler = InboundHandler(lmtp=lmtp)

    class InboundController(Controller):
        def factory(self):
            if lmtp:
                return LMTP(self.handler, **self.SMTP_kwargs)
            return super().factory()

    return InboundController(handler, hostname=host, port=port, ready_timeout=10)
