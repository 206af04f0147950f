"""Many similar emails, fast: the MIME structure they share worked out once, each email assembled from bytes.

Django builds an email through the standard library's ``email`` package, which parses and folds every
header and encodes every part again for each message: about 3 ms an email, most of what a digest
costs (BENCHMARKS.md, "Digests"). A batch of digests differs only in the recipient, the Message-ID,
the unsubscribe link and the two bodies. :class:`Stencil` folds the shared headers once and writes each
email's bytes around its own parts; the result is an ordinary ``EmailMultiAlternatives`` (subject,
bodies and headers as Django holds them, so every backend and ``mail.outbox`` see the usual object)
that also carries those bytes. :class:`SMTPBackend` sends the bytes as they are; any other backend
builds the message the usual way, from the same subject, bodies and headers.

Anything outside the plain case (an address that is not plain ASCII, a header value that is not short
ASCII) gets the ordinary email, built by Django: the fast path never guesses at an encoding.
"""

from __future__ import annotations

import binascii
import email.policy
import re
import secrets
import smtplib
from email.utils import formatdate, make_msgid, parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends import smtp
from django.core.mail.utils import DNS_NAME

CRLF = b"\r\n"
# An addr-spec with nothing to quote or encode: RFC 5322 atext local part, an ASCII domain.
PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")
PLAIN_VALUE = re.compile(r"[\x20-\x7e]{1,900}")


class PrebuiltEmail(EmailMultiAlternatives):
    """An email whose MIME bytes (``mime``) and envelope were assembled by a :class:`Stencil`."""

    mime: bytes
    envelope_from: str
    envelope_to: list[str]


class SMTPBackend(smtp.EmailBackend):
    """Django's SMTP backend; a :class:`PrebuiltEmail` goes out as its bytes, on the same connection."""

    def _send(self, email_message: Any) -> bool:
        if not isinstance(email_message, PrebuiltEmail):
            return bool(super()._send(email_message))  # type: ignore[misc]  # Django's method, absent from the stubs
        if self.connection is None:  # opening failed silently
            return False
        try:
            self.connection.sendmail(email_message.envelope_from, email_message.envelope_to, email_message.mime)
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True


def _header(name: str, value: str) -> bytes:
    if PLAIN_VALUE.fullmatch(value) and len(name) + len(value) < 76:
        return f"{name}: {value}".encode("ascii") + CRLF
    # The standard library's SMTP policy folds, and encodes what is not ASCII, as Django's email would.
    return email.policy.SMTP.fold(name, value).encode("ascii")


def _own_header(name: str, value: str) -> bytes:
    """A recipient's own header, already checked to be plain ASCII: written as it is (a URL is one token)."""
    return f"{name}: {value}".encode("ascii") + CRLF


def _text_part(text: str, subtype: str) -> bytes:
    # Text ends with a line break, as the standard library's set_content() makes it; the line break after
    # it belongs to the boundary delimiter that follows.
    body = text.replace("\r\n", "\n").replace("\r", "\n")
    if not body.endswith("\n"):
        body += "\n"
    encoded = binascii.b2a_qp(body.encode("utf-8"), istext=True).replace(b"\n", CRLF)
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'.encode(
            "ascii"
        )
        + encoded
        + CRLF
    )


class Stencil:
    """What a batch of emails with the same subject, sender and fixed headers shares, prepared once.

    ``headers`` are the same for every email of the batch; :meth:`email` adds each one's own.
    """

    def __init__(self, *, subject: str, headers: dict[str, str], from_email: str | None = None) -> None:
        self.subject = subject
        self.from_email = from_email or settings.DEFAULT_FROM_EMAIL
        self.headers = dict(headers)
        self.envelope_from = parseaddr(self.from_email)[1]
        # "=_" never occurs in quoted-printable text, so the boundary cannot occur in a part.
        self.boundary = f"=_{secrets.token_hex(16)}"
        self.plain = bool(PLAIN_ADDRESS.fullmatch(self.envelope_from)) and all(
            PLAIN_VALUE.fullmatch(value) for value in (*self.headers.values(), self.from_email)
        )
        if self.plain:
            self.shared_headers = (
                _header("Subject", subject)
                + _header("From", self.from_email)
                + b"".join(_header(name, value) for name, value in self.headers.items())
                + b"MIME-Version: 1.0\r\n"
                + f'Content-Type: multipart/alternative; boundary="{self.boundary}"\r\n'.encode("ascii")
            )
            self.separator = f"--{self.boundary}\r\n".encode("ascii")
            self.closing = f"--{self.boundary}--\r\n".encode("ascii")

    def email(self, *, to: str, text: str, html: str, headers: dict[str, str]) -> EmailMultiAlternatives:
        """One recipient's email: a :class:`PrebuiltEmail` in the plain case, else the ordinary one."""
        own = {
            "Date": formatdate(localtime=settings.EMAIL_USE_LOCALTIME),
            "Message-ID": make_msgid(domain=str(DNS_NAME)),
            **headers,
        }
        all_headers = {**self.headers, **own}
        if not (self.plain and PLAIN_ADDRESS.fullmatch(to) and all(PLAIN_VALUE.fullmatch(v) for v in headers.values())):
            message = EmailMultiAlternatives(self.subject, text, self.from_email, [to], headers=all_headers)
            message.attach_alternative(html, "text/html")
            return message
        message = PrebuiltEmail(self.subject, text, self.from_email, [to], headers=all_headers)
        message.attach_alternative(html, "text/html")
        message.envelope_from = self.envelope_from
        message.envelope_to = [to]
        message.mime = b"".join(
            (
                self.shared_headers,
                f"To: {to}\r\n".encode("ascii"),
                *(_own_header(name, value) for name, value in own.items()),
                CRLF,
                self.separator,
                _text_part(text, "plain"),
                self.separator,
                _text_part(html, "html"),
                self.closing,
            )
        )
        return message
