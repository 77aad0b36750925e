"""A mail server the newsletter tests can misbehave with: refuse addresses, go down, stall."""

import socket
import threading

import pytest

from tests.helpers import Mailbox


class TestMTA(Mailbox):
    """aiosmtpd on loopback that keeps its port across stop() and start().

    - `reject`: addresses answered with 550 at RCPT (a permanent refusal);
    - `stop()`/`start()`: connections are refused while it is down (a crashed relay);
    - `stall_at = n`: the n-th message (1-based) is held before the server answers DATA,
      and `stalled` is set; `release()` lets it go *without* accepting it, as when the
      client vanished mid-transaction.
    """

    __test__ = False

    def __init__(self):
        super().__init__()
        self.raw = []
        self.reject = set()
        self.stall_at = None
        self.stalled = threading.Event()
        self._release = threading.Event()
        self._accepted = 0
        self._controller = None
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]

    def start(self):
        from aiosmtpd.controller import Controller

        mta = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if address.lower() in mta.reject:
                    return "550 5.1.1 Mailbox does not exist"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                import asyncio

                if mta.refuse:
                    return "451 4.3.0 Try again later"
                if mta.stall_at is not None and mta._accepted + 1 == mta.stall_at:
                    mta.stall_at = None
                    mta.stalled.set()
                    while not mta._release.is_set():
                        await asyncio.sleep(0.02)
                    return "451 4.3.0 Not accepted"
                mta._accepted += 1
                mta.add(envelope)
                mta.raw.append(envelope.original_content)
                return "250 OK"

        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def release(self):
        self._release.set()

    def count(self, address):
        return sum(address in rcpts for rcpts, _message in self.messages)


@pytest.fixture
def smtp_server(settings):
    """Overrides the suite's server for this folder: the same API plus the misbehaviours above."""
    mta = TestMTA()
    mta.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = mta.port
    settings.EMAIL_USE_TLS = False
    yield mta
    mta.release()
    mta.stop()
