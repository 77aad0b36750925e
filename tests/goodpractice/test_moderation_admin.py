"""Moderators work through submitted practices in the admin, with the word the catalogue uses."""

import pytest

from goodpractice.models import PracticeModerationTask

pytestmark = pytest.mark.django_db


def test_a_moderator_gets_the_list_of_submitted_practices_and_a_member_does_not(world):
    from django.contrib.auth.models import Group

    # As in the demo: the strategist moderates through Wagtail's Moderators group, which has no
    # model permissions on submissions.
    world.users["strategist"].groups.add(Group.objects.get(name="Moderators"))
    assert world.client("strategist").get("/admin/practice_submissions/").status_code == 200
    assert world.client("member").get("/admin/practice_submissions/").status_code != 200


def test_practice_moderation_says_godkann_and_minutes_keep_justera(world):
    from django.utils import translation

    superuser = world.users["superuser"]
    with translation.override("sv"):
        labels = [
            str(label)
            for _name, label, _modal in PracticeModerationTask().get_actions(None, superuser)
        ]
        assert "Godkänn" in labels and not any("Justera" in label for label in labels)
        assert translation.pgettext("minutes", "Approve") == "Justera"
