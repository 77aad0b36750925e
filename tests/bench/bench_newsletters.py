"""Newsletter sending: 10,000 recipients through a local SMTP server, against a bare loop.

The bare loop is what a straightforward sender does: build each message with the standard
library's `EmailMessage` (text + HTML, per-recipient To and unsubscribe link) and send it over
one smtplib connection. The portal's path is measured end to end: `dispatch_schedule` resolves
the audience, renders the issue once, writes 10,000 Delivery rows, claims them in chunks, sends
each from the pre-encoded MIME template and marks each row sent. Both talk to the same aiosmtpd
server, run in its own process so it does not share the senders' interpreter.

Each delivery is committed on its own, as in production: the module sets COMMITS, so the runner
does not wrap it in one transaction (which would turn the 10,000 commits into one).
"""

import smtplib
import subprocess
import sys
import time
from email.message import EmailMessage

from django.test import override_settings

from portal.newsletters import sending
from portal.newsletters.models import (
    Delivery,
    DeliveryStatus,
)
from portal.newsletters.rendering import issue_render
from tests.factories import make_home_page
from tests.newsletters.factories import NewsletterIssuePageFactory, SubscriberListFactory
from tests.newsletters.helpers import subscribe_many

RECIPIENTS = 10_000
COMMITS = True

SERVER = r"""
import signal, sys, threading
from aiosmtpd.controller import Controller

class Counter:
    count = 0
    async def handle_DATA(self, server, session, envelope):
        Counter.count += len(envelope.rcpt_tos)
        return "250 OK"

controller = Controller(Counter(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: done.set())
done.wait()
controller.stop()
print(Counter.count, flush=True)
"""


class SMTPServerProcess:
    def __enter__(self):
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(self.port)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "ready"
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        out, _err = self.process.communicate(timeout=30)
        self.received = int(out.strip().splitlines()[-1])


BODY = [
    ("heading", {"text": "Bostadsförsörjning", "level": "h2"}),
    (
        "paragraph",
        "<p>Alla kommuner nämner bostadsförsörjningen som det område som kommer att vara den "
        "största utmaningen under 2017. Det handlar dels om att skapa de fysiska bostäderna, dels "
        "om prövningar från Räddningstjänst, Försäkringskassan och försäkringsbolag men även "
        "frågor kring avtals- och kontraktsskrivning.</p>" * 4,
    ),
    ("heading", {"text": "Långsiktig strategi och organisation", "level": "h2"}),
    (
        "paragraph",
        "<p>Majoriteten av kommunerna vittnar om att 2016 har inneburit ett akut läge med fokus "
        "på att släcka bränder. Det finns förhoppningar om att 2017 ska innebära att "
        "integrationsfrågorna går mot en mer ordinarie verksamhet: å ä ö æ ø.</p>" * 4,
    ),
]


def bare_loop(*, port, addresses, subject, html, text, sender):
    """The reference: one EmailMessage per recipient, one smtplib connection."""
    from portal.newsletters.mime import UNSUBSCRIBE_MARK

    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for number, address in enumerate(addresses):
            link = f"https://portal.example/tjanster/nyhetsbrev/avsluta/{number}/token{number}/"
            message = EmailMessage()
            message["Subject"] = subject
            message["From"] = sender
            message["To"] = address
            message["List-Unsubscribe"] = f"<{link}>"
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
            message.set_content(text.replace(UNSUBSCRIBE_MARK, link))
            message.add_alternative(html.replace(UNSUBSCRIBE_MARK, link), subtype="html")
            smtp.send_message(message)
    return time.perf_counter() - started


def _audience(count):
    subscriber_list = SubscriberListFactory()
    addresses = [f"mottagare{n:05}@kommun.example" for n in range(count)]
    subscribe_many(subscriber_list, addresses)
    return subscriber_list, addresses


def run(report):
    make_home_page()
    subscriber_list, addresses = _audience(RECIPIENTS)
    issue = NewsletterIssuePageFactory(
        title="Nyhetsbrev 1/2017", lists=[subscriber_list], body=BODY
    )
    rendered = issue_render(issue=issue)
    report("rendered e-mail size (HTML + text)", len(rendered.html) + len(rendered.text), "chars")

    tasks = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with (
        SMTPServerProcess() as server,
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=server.port,
            EMAIL_USE_TLS=False,
            TASKS=tasks,
            NEWSLETTER_RUN_SECONDS=3600,
        ),
    ):
        bare = bare_loop(
            port=server.port,
            addresses=addresses,
            subject=rendered.subject,
            html=rendered.html,
            text=rendered.text,
            sender="Samverkansportalen <noreply@example.org>",
        )
        started = time.perf_counter()
        sending.dispatch_schedule(issue=issue)
        portal = time.perf_counter() - started
    sent = Delivery.objects.filter(status=DeliveryStatus.SENT).count()
    assert sent == RECIPIENTS, f"only {sent} of {RECIPIENTS} deliveries were sent"
    assert server.received == 2 * RECIPIENTS, f"the server received {server.received}"

    bare_rate = RECIPIENTS / bare
    portal_rate = RECIPIENTS / portal
    report("bare loop: EmailMessage + smtplib", bare_rate, "msg/s", f"{RECIPIENTS} recipients")
    report(
        "portal: dispatch end to end",
        portal_rate,
        "msg/s",
        f"{RECIPIENTS} recipients, audience + rows + send + mark sent",
    )
    report("portal / bare loop", portal_rate / bare_rate, "x", "rate ratio; goal: at least 2")

    template = sending.issue_template(
        subject=rendered.subject, html=rendered.html, text=rendered.text
    )
    samples = 2000
    started = time.perf_counter()
    for number in range(samples):
        template.render(sending.delivery_recipient(number, addresses[number]))
    per_message = (time.perf_counter() - started) / samples * 1e6
    report("portal: build one message from the template", per_message, "µs", f"{samples} builds")
