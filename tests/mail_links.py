"""Following the links of a received e-mail, for the tests that check every e-mail kind."""

import re

from django.test import Client

LINK = re.compile(r"https?://testserver(/[^\s\"'<>)]*)")


def links(message) -> set[str]:
    parts = [message.get_body(preferencelist=(subtype,)) for subtype in ("plain", "html")]
    text = "".join(part.get_content() for part in parts if part is not None)
    text += str(message.get("List-Unsubscribe", ""))
    return set(LINK.findall(text))


def assert_every_link_works(message):
    found = links(message)
    assert found, f"no link in {message['Subject']!r}"
    for path in found:
        response = Client().get(path, follow=True)
        assert response.status_code == 200, (message["Subject"], path, response.status_code)
