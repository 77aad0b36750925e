"""Transactional e-mail: plain text stays plain, in the recipient's language."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.mail import mail_render


def test_plain_text_parts_are_not_html_escaped():
    message = mail_render(
        template="networks_invitation",
        context={
            "network_title": "Bostad & etablering <Södertörn>",
            "message": 'Välkommen! "Vi ses" på mötet & fikat.',
            "role": "Medlem",
            "url": "https://example.org/x?a=1&b=2",
            "expires_at": timezone.now(),
        },
    )
    with translation.override("sv"):
        subject = _("Invitation to %(title)s") % {"title": "Bostad & etablering <Södertörn>"}
    assert message["subject"] == subject
    assert not subject.startswith("Invitation")  # Swedish by default
    assert "Bostad & etablering <Södertörn>" in message["text"]
    assert '"Vi ses" på mötet & fikat.' in message["text"]
    assert "https://example.org/x?a=1&b=2" in message["text"]
    assert "&amp;" not in message["text"] and "&lt;" not in message["text"]


def test_rendered_in_the_recipients_language():
    context = {"network_title": "Østfold", "role": "", "url": "", "expires_at": timezone.now()}
    norwegian = mail_render(template="networks_invitation", context=context, language="nb")
    with translation.override("nb"):
        subject = _("Invitation to %(title)s") % {"title": "Østfold"}
    assert norwegian["subject"] == subject
    assert not subject.startswith("Invitation")
