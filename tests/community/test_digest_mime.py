"""A digest's MIME bytes, assembled from the batch's stencil, say what Django's own email would say."""

from __future__ import annotations

import email.policy
from email import message_from_bytes
from email.message import EmailMessage
from typing import Any

import pytest
from django.core.mail import EmailMultiAlternatives, mailers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community import digests
from config.mail import PrebuiltEmail, Stencil
from tests.community.smtp_sink import SmtpSink

# Text as templates produce it, and worse: any Unicode, CR and CRLF line ends, trailing blanks, long
# lines, lines that are a dot or start like an mbox separator, text that looks like a boundary or QP.
TRICKY = st.sampled_from(["\r\n", "\r", "\n", ".", "..", "From ", "--", "=_", "=3D", "=\n", " \n", "\t\n", "é", "🙂"])
CHUNK = st.one_of(st.text(max_size=120), TRICKY, st.text(alphabet="ab ", min_size=70, max_size=300))
BODY = st.lists(CHUNK, min_size=1, max_size=30).filter(lambda chunks: "".join(chunks).strip())
LOCAL = st.from_regex(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,20}(\.[A-Za-z0-9_-]{1,10})?", fullmatch=True)
DOMAIN = st.from_regex(r"[a-z0-9]{1,15}\.(org|example|co\.uk)", fullmatch=True)

COMPARED = ["Subject", "From", "To", "Date", "Message-ID", "List-Unsubscribe", *digests.HEADERS]


def lines(text: str) -> str:
    """Text with its line breaks as a parsed part gives them back: LF only, a last one added."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if text.endswith("\n") else text + "\n"


def parts(message: EmailMessage) -> tuple[str, str]:
    plain, html = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None
    assert html is not None
    return lines(plain.get_content()), lines(html.get_content())


def django_built(prebuilt: EmailMultiAlternatives) -> EmailMessage:
    return prebuilt.message(policy=email.policy.default)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=BODY, html=BODY, local=LOCAL, domain=DOMAIN, token=st.from_regex(r"[A-Za-z0-9_-]{20,60}", fullmatch=True))
def test_the_bytes_parse_to_the_headers_and_parts_django_would_build(
    text: list[str], html: list[str], local: str, domain: str, token: str
) -> None:
    address = f"{local}@{domain}"
    stencil = digests.stencil_for("weekly")
    message = stencil.email(
        to=address,
        text="".join(text),
        html="".join(html),
        headers={"List-Unsubscribe": f"<https://support-circle.example.org/digest/unsubscribe/{token}/>"},
    )
    assert isinstance(message, PrebuiltEmail)
    assert message.envelope_to == [address]
    assert all(len(line) <= 998 for line in message.mime.split(b"\r\n"))
    assert b"\n" not in message.mime.replace(b"\r\n", b"")
    wire = message_from_bytes(message.mime, policy=email.policy.default)
    reference = django_built(message)
    assert wire.get_content_type() == "multipart/alternative"
    assert not wire.defects
    for name in COMPARED:
        assert str(wire[name]) == str(reference[name]), name
    assert parts(wire) == parts(reference) == (lines("".join(text)), lines("".join(html)))


@pytest.mark.parametrize(
    "address",
    ["zoë@example.org", "reader@exämple.org", '"two words"@example.org', "a@b@example.org", "x\r\nBcc: y@example.org"],
)
def test_an_address_outside_the_plain_case_gets_the_ordinary_email(address: str) -> None:
    message = digests.stencil_for("daily").email(
        to=address, text="Hello", html="<p>Hello</p>", headers={"List-Unsubscribe": "<https://x.example/u/1/>"}
    )
    assert not isinstance(message, PrebuiltEmail)
    assert message.to == [address]
    assert message.subject == "Your daily Support Circle summary"


def test_a_header_value_outside_the_plain_case_gets_the_ordinary_email() -> None:
    stencil = Stencil(subject="Summary", headers={"Precedence": "bulk"})
    message = stencil.email(
        to="a@example.org", text="t", html="h", headers={"List-Unsubscribe": "<https://ü.example/>"}
    )
    assert not isinstance(message, PrebuiltEmail)
    assert Stencil(subject="Summary", headers={"X-Note": "naïve"}).plain is False


def prebuilt(message: EmailMultiAlternatives) -> PrebuiltEmail:
    assert isinstance(message, PrebuiltEmail)
    return message


def test_each_email_of_a_batch_has_its_own_message_id_and_the_batch_one_boundary() -> None:
    stencil = digests.stencil_for("weekly")
    first, second = (
        prebuilt(
            stencil.email(to=f"m{i}@example.org", text="t", html="h", headers={"List-Unsubscribe": "<https://x/>"})
        )
        for i in range(2)
    )
    assert first.extra_headers["Message-ID"] != second.extra_headers["Message-ID"]
    assert stencil.boundary.encode() in first.mime
    assert stencil.boundary.encode() in second.mime


@pytest.mark.django_db
def test_the_smtp_backend_sends_the_bytes_and_other_emails_as_django_builds_them(settings: Any) -> None:
    stencil = digests.stencil_for("weekly")
    digest = prebuilt(
        stencil.email(
            to="reader@example.org",
            text=".\nHello\n",
            html="<p>Hello</p>",
            headers={"List-Unsubscribe": "<https://x/>"},
        )
    )
    ordinary = EmailMultiAlternatives("Welcome", "Hi", to=["new@example.org"])
    with SmtpSink() as sink:
        settings.MAILERS = {"default": sink.mailer_settings()}
        mailer = mailers.default
        assert mailer.send_messages([digest, ordinary]) == 2
    received = {m["to"][0]: m["raw"] for m in sink.messages}
    assert received["reader@example.org"].replace(b"\r\n", b"\n") == digest.mime.replace(b"\r\n", b"\n")
    welcome = message_from_bytes(received["new@example.org"], policy=email.policy.default)
    assert welcome["Subject"] == "Welcome"
