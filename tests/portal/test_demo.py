"""The demo command builds the demo site, and running it again changes nothing.

One test, because loading the demo is the slow part: the second run checks the first (the first
is the pass's one load, put back by the `demo` fixture)."""

from io import StringIO

from django.apps import apps
from django.core.management import call_command

from portal.models import HomePage, User

DEMO_ACCOUNTS = {
    "strateg@example.org",
    "medlem@example.org",
    "kommun@example.org",
    "skane@example.org",
    "admin@example.org",
}


def row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.managed
    }


def test_load_demo_builds_the_site_and_running_it_again_changes_nothing(demo, settings, client):
    # Etablering Södertörn, Kommunförbundet Skåne, Østfold and the national NISKI site.
    assert HomePage.objects.live().count() == 4
    assert set(User.objects.values_list("email", flat=True)) >= DEMO_ACCOUNTS
    assert User.objects.get(email="admin@example.org").is_superuser
    credentials = (settings.VAR_DIR / "demo-credentials.txt").read_text()
    assert all(email in credentials for email in DEMO_ACCOUNTS)
    _each_demo_site_answers_at_its_own_address_in_its_language(client)
    _the_questionnaire_has_answers_and_waits_for_others()

    before = row_counts()
    passwords = dict(User.objects.values_list("email", "password"))
    call_command("load_demo", stdout=StringIO())
    assert row_counts() == before
    assert dict(User.objects.values_list("email", "password")) == passwords


def _each_demo_site_answers_at_its_own_address_in_its_language(client):
    for host, language, text in (
        ("testserver", "sv", "Samverkansportalen"),
        ("skane.localhost", "sv", "Kommunförbundet Skåne"),
        ("ostfold.localhost", "nb", "Bosetting av flyktninger i Østfold"),
        ("niski.localhost", "sv", "NISKI"),
    ):
        page = client.get("/", HTTP_HOST=host).content.decode()
        assert f'<html lang="{language}">' in page, host
        assert text in page, host
    assert (
        "Strategiskt forum"
        in client.get("/kalender/", HTTP_HOST="skane.localhost").content.decode()
    )
    national = client.get("/kalender/nationellt/", HTTP_HOST="ostfold.localhost").content.decode()
    assert "NISKI:s vårmöte" in national
    maja = User.objects.get(email="medlem@example.org")
    client.force_login(maja)
    mine = client.get("/mina-sidor/").content.decode()
    assert "Strategiska forum för integration i Skåne</a> (Kommunförbundet Skåne)" in mine


def _the_questionnaire_has_answers_and_waits_for_others():
    from questionnaires.models import QuestionnairePage
    from questionnaires.selectors import board

    # Seed 002's six questions before the municipal visits, on the Østfold site.
    questionnaire = QuestionnairePage.objects.get(slug="kommunebesok-sporsmal")
    assert questionnaire.form_fields.count() == 6
    total, _counties = board(questionnaire)
    assert total.answered == 2  # Aremark and Fredrikstad; Hvaler's draft does not count
    assert total.total > total.answered  # and some kommuner have not answered
