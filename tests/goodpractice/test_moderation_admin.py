"""Moderators work through submitted practices in the admin, with the word the catalogue uses."""

import pytest
from django.contrib.auth.models import Group

from goodpractice.models import PracticeModerationTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(two_site_world):
    """This module's doors are walked with a second regional site beside the first."""
    return two_site_world


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


def test_a_sites_moderators_see_only_the_submissions_sent_to_its_own_catalogue(world, client):
    from goodpractice.models import Submission
    from portal.sites import site_setup
    from tests.factories import make_home_page
    from tests.goodpractice.factories import PracticeIndexPageFactory
    from tests.goodpractice.test_submission import SUBMIT_URL, form_data

    PracticeIndexPageFactory(parent=make_home_page())
    PracticeIndexPageFactory(parent=world.other_site.root_page)
    site_setup(site=world.other_site)
    client.post(SUBMIT_URL, form_data(title="Språkvänner i Huddinge", submitter_name="Sune S"))
    host = world.other_site.hostname
    client.post(SUBMIT_URL, form_data(title="Språkvänner i Höör"), HTTP_HOST=host)
    sodertorn = Submission.objects.get(page__title="Språkvänner i Huddinge")
    assert sodertorn.page.get_parent().get_parent().pk != world.other_site.root_page_id
    skane = world.client("other_site_strategist")
    listing = skane.get("/admin/practice_submissions/").content.decode()
    assert "Karin Kontakt" in listing and "Sune S" not in listing
    assert skane.get(f"/admin/practice_submissions/edit/{sodertorn.pk}/").status_code != 200
    world.users["strategist"].groups.add(Group.objects.get(name="Moderators"))
    own = world.client("strategist").get("/admin/practice_submissions/").content.decode()
    assert "Sune S" in own and "Karin Kontakt" not in own
