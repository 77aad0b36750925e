"""The personal digest ("Nytt i mina nätverk"): how long the daily run takes per person and how
many queries one person's digest costs, for 200 members of a network with ten new documents,
against the same at 20 members (the cost should be per person, not per person and item)."""

import time
from datetime import timedelta

from django.core import mail
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from networks.digest import digest_content, digests_send
from networks.models import Digest, DigestFrequency, Membership
from networks.services import document_upload
from tests.networks.builders import network_with_members


def run(report):
    for size in (20, 200):
        network, coordinator = network_with_members(size, f"digest-{size}")
        for n in range(10):
            document_upload(
                network=network,
                title=f"Lägesbild {n}",
                file=ContentFile(b"text", name=f"lagesbild-{n}.txt"),
                uploaded_by=coordinator,
                notify=False,
            )
        members = list(Membership.objects.filter(network=network).values_list("user", flat=True))
        Digest.objects.bulk_create(
            Digest(
                user_id=user_id,
                frequency=DigestFrequency.DAILY,
                covered_until=timezone.now() - timedelta(days=1),
            )
            for user_id in members
        )
        someone = Membership.objects.filter(network=network).first().user
        with CaptureQueriesContext(connection) as queries:
            digest_content(
                user=someone,
                since=timezone.now() - timedelta(days=1),
                until=timezone.now(),
            )
        report(f"one digest's content ({size} members): SQL queries", len(queries), "queries")
        mail.outbox = []
        began = time.perf_counter()
        sent = digests_send()
        elapsed = (time.perf_counter() - began) * 1000
        assert sent == len(members) == len(mail.outbox), (sent, len(members))
        report(f"daily run, {size} members: total", elapsed, "ms", f"{sent} digests")
        report(f"daily run, {size} members: per digest", elapsed / sent, "ms")
        Digest.objects.all().delete()
