"""Receive the portal's own mail: calendar replies, mailto: unsubscribe requests and bounces.

    manage.py mail_receiver    # an LMTP or SMTP server, as PORTAL_INBOUND_PROTOCOL says

The production mail server forwards PORTAL_REPLY_ADDRESS (with its plus-addresses), the
newsletter unsubscribe mailbox and the bounce address to it. See portal/inbound.py for what is
done with each message and the README for the settings.
"""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal import inbound


class Command(BaseCommand):
    help = "Receive calendar replies, unsubscribe requests and bounces over LMTP or SMTP."

    def handle(self, *args, **options):
        protocol = settings.PORTAL_INBOUND_PROTOCOL.lower()
        if protocol not in ("lmtp", "smtp"):
            raise CommandError("PORTAL_INBOUND_PROTOCOL must be lmtp or smtp.")
        host, port = settings.PORTAL_INBOUND_HOST, settings.PORTAL_INBOUND_PORT
        controller = inbound.receiver_controller(protocol=protocol, host=host, port=port)
        controller.start()
        self.stdout.write(f"Receiving {protocol.upper()} on {host}:{port}", ending="\n")
        self.stdout.flush()
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_args: stop.set())
        signal.signal(signal.SIGINT, lambda *_args: stop.set())
        try:
            stop.wait()
        finally:
            controller.stop()
