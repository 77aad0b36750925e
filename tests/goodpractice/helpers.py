"""What submitters and moderators do in the good-practice tests: fill in the public form,
send it, and decide in the admin's workflow."""

import re

from django.urls import reverse
from wagtail.models import WorkflowState

from tests.goodpractice.factories import municipality, target_group, theme

SUBMIT_URL = "/tjanster/goda-exempel/skicka-in/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def form_data(**overrides):
    data = {
        "title": "Språkvänner i Höör",
        "summary": "Nyanlända och etablerade Höörbor träffas varje vecka.",
        "organisations": [municipality("Höörs kommun").pk],
        "themes": [theme("Samhällsliv").pk],
        "target_groups": [target_group("Nyanlända vuxna").pk],
        "description": "Biblioteket och föreningarna ordnar träffarna tillsammans.",
        "what_was_done": "Vi bjöd in föreningar.",
        "results": "Fyrtio deltagare per vecka.",
        "lessons_learned": "Börja smått.",
        "period_start": "2018-02-01",
        "still_running": "on",
        "cost_funding": "",
        "contact_name": "Karin Kontakt",
        "contact_email": "karin@hoor.example",
        "contact_phone": "",
        "links": "https://www.hoor.se/sprakvanner",
        "submitter_name": "Karin Kontakt",
        "submitter_email": "karin@hoor.example",
        "website": "",
        "action": "send",
    }
    data.update(overrides)
    return data


def links_in(message):
    return re.findall(r"http://testserver(/\S+)", message.body)


def send(client, capture, **overrides):
    with capture(execute=True):
        return client.post(SUBMIT_URL, form_data(**overrides))


def moderate(client, user, submission, action, comment=""):
    page = submission.page
    state = WorkflowState.objects.active().get(object_id=str(page.pk))
    client.force_login(user)
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, action, state.current_task_state.pk]
    )
    response = client.post(url, {"comment": comment} if comment else {})
    client.logout()
    assert response.status_code in (200, 302), response.content[:500]
    submission.refresh_from_db()
    return response
