"""The demo command builds the demo site, and running it again changes nothing.

One test, because loading the demo is the slow part: the second run checks the first."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from portal.models import HomePage, User

pytestmark = pytest.mark.django_db

DEMO_ACCOUNTS = {
    "strateg@example.org",
    "medlem@example.org",
    "kommun@example.org",
    "admin@example.org",
}


def row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.managed
    }


@pytest.fixture
def demo_var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def test_load_demo_builds_the_site_and_running_it_again_changes_nothing(demo_var_dir):
    call_command("load_demo", stdout=StringIO())
    assert HomePage.objects.live().count() >= 1
    assert set(User.objects.values_list("email", flat=True)) >= DEMO_ACCOUNTS
    assert User.objects.get(email="admin@example.org").is_superuser
    credentials = (demo_var_dir / "demo-credentials.txt").read_text()
    assert all(email in credentials for email in DEMO_ACCOUNTS)

    before = row_counts()
    passwords = dict(User.objects.values_list("email", "password"))
    call_command("load_demo", stdout=StringIO())
    assert row_counts() == before
    assert dict(User.objects.values_list("email", "password")) == passwords
