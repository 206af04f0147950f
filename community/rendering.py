"""Markdown → safe HTML, done once at write time.

markdown-it renders with raw HTML off, then nh3 keeps only the allowlist
below. Bump ``RENDER_VERSION`` when either changes. Each post stores the
version it was rendered with, but nothing re-renders on a bump: existing
posts keep their stored HTML until their text is changed by an edit.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import nh3
from markdown_it import MarkdownIt

RENDER_VERSION = 1

ALLOWED_TAGS = frozenset(
    {"p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h3", "h4", "h5"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener noreferrer"

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable("image")
_markdown.enable("strikethrough")
_HEADING = re.compile(r"<(/?)h[12](>)")


def render_markdown(source: str) -> str:
    html = _markdown.render(source)
    # Members' headings should not shout over the page's own: h1/h2 become h3.
    html = _HEADING.sub(r"<\1h3\2", html)
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def rendered_fields(source: str, *, digest: str | None = None) -> dict[str, str | int]:
    """The stored form of a post body: the source, its sanitised HTML, the render version and the
    duplicate-check digest (of ``source`` unless another digest is given, as topics digest title and body)."""
    return {
        "body": source,
        "body_html": render_markdown(source),
        "render_version": RENDER_VERSION,
        "body_digest": digest or body_digest(source),
    }


def body_digest(source: str) -> str:
    """A fingerprint of a body that ignores case, spacing and Unicode look-alikes."""
    normalised = " ".join(unicodedata.normalize("NFKC", source).casefold().split())
    return hashlib.sha256(normalised.encode()).hexdigest()
