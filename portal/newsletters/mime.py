"""The e-mail of an issue as a pre-encoded MIME template: built once, varied per recipient.

Building an `EmailMessage` per recipient costs milliseconds, most of it re-encoding the same
body. Here the issue's text and HTML are quoted-printable encoded once, split at the places
where the recipient's unsubscribe link goes. Per recipient only the To, Message-ID and
List-Unsubscribe headers and the (short, QP-encoded) link are joined in: a few microseconds.

Each pre-encoded segment ends in a soft line break, so the substituted link always starts a
line of its own and no line ever exceeds 76 characters (SMTP refuses lines over 998).
"""

import time
import uuid
from dataclasses import dataclass
from email import quoprimime
from email.header import Header
from email.utils import format_datetime, formataddr, getaddresses, localtime

UNSUBSCRIBE_MARK = "__NEWSLETTER_UNSUBSCRIBE_URL__"
CRLF = "\r\n"
SOFT_BREAK = "=" + CRLF


def qp_encode(text: str) -> str:
    """Quoted-printable UTF-8 with CRLF line ends and lines of at most 76 characters."""
    # quoprimime works on str of code points < 256: encode UTF-8 first, then map bytes 1:1.
    latin = text.replace("\r\n", "\n").encode("utf-8").decode("latin-1")
    # 75, not 76: a soft line break is appended to the last line of every piece.
    return quoprimime.body_encode(latin, maxlinelen=75, eol=CRLF)


def _segments(text: str) -> list[str]:
    """QP-encoded pieces of `text` around each unsubscribe mark, each ending in a soft break."""
    return [qp_encode(piece) + SOFT_BREAK for piece in text.split(UNSUBSCRIBE_MARK)]


def _header(name: str, value: str) -> str:
    return f"{name}: {Header(value, 'utf-8', header_name=name).encode(linesep=CRLF)}{CRLF}"


def _address_header(name: str, value: str) -> str:
    display, address = getaddresses([value])[0]
    if display:
        return f"{name}: {formataddr((display, address), charset='utf-8')}{CRLF}"
    return f"{name}: {address}{CRLF}"


@dataclass(frozen=True)
class Recipient:
    to: str
    message_id: str
    unsubscribe_url: str
    unsubscribe_mailto: str


class MessageTemplate:
    """One issue's e-mail with holes for what differs per recipient; `render` fills them."""

    def __init__(self, *, subject: str, text: str, html: str, from_email: str, list_id: str):
        boundary = f"==newsletter-{uuid.uuid4().hex}"
        head = (
            _address_header("From", from_email)
            + _header("Subject", subject)
            + f"Date: {format_datetime(localtime())}{CRLF}"
            + f"MIME-Version: 1.0{CRLF}"
            + f"List-Id: {list_id}{CRLF}"
            + f"List-Unsubscribe-Post: List-Unsubscribe=One-Click{CRLF}"
            + f"Precedence: bulk{CRLF}"
            + f'Content-Type: multipart/alternative; boundary="{boundary}"{CRLF}'
        )
        part_head = (
            "--{boundary}\r\n"
            'Content-Type: text/{subtype}; charset="utf-8"\r\n'
            "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        )
        self._head = head.encode("ascii")
        # The body as a list of fixed pieces with the unsubscribe link between each two.
        pieces: list[str] = []
        for subtype, content in (("plain", text), ("html", html)):
            segments = _segments(content)
            segments[0] = part_head.format(boundary=boundary, subtype=subtype) + segments[0]
            if pieces:
                pieces[-1] += segments[0]
                pieces.extend(segments[1:])
            else:
                pieces.extend(segments)
            pieces[-1] += CRLF
        pieces[-1] += f"--{boundary}--{CRLF}"
        self._pieces = [piece.encode("ascii") for piece in pieces]

    def render(self, recipient: Recipient) -> bytes:
        link = qp_encode(recipient.unsubscribe_url).encode("ascii") + SOFT_BREAK.encode()
        headers = (
            f"To: {recipient.to}{CRLF}"
            f"Message-ID: <{recipient.message_id}>{CRLF}"
            f"List-Unsubscribe: <{recipient.unsubscribe_url}>,{CRLF}"
            f" <{recipient.unsubscribe_mailto}>{CRLF}{CRLF}"
        ).encode("ascii")
        return self._head + headers + link.join(self._pieces)


def message_id(*, key: str, domain: str) -> str:
    """A Message-ID that is the same every time this delivery is (re)sent.

    If a crash makes the portal send a delivery twice (see services.py), mail stores that
    collapse duplicates by Message-ID, as Gmail does, show it once.
    """
    return f"{key}@{domain}"


def unique_message_id(domain: str) -> str:
    return f"{int(time.time())}.{uuid.uuid4().hex}@{domain}"
