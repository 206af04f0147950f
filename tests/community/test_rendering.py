"""The markdown pipeline: members' text in, only allowlisted HTML out.

Every rendered body goes through ``assert_safe``, which parses the HTML the
way a browser's tokenizer would and checks tags, attributes, link schemes
and ``rel`` against the allowlist in ``community.rendering``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from community.rendering import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    LINK_REL,
    URL_SCHEMES,
    body_digest,
    render_markdown,
)

# The allowlist the brief pins: nh3 adds ``rel`` to every link itself.
EXPECTED_ATTRIBUTES = {"a": {"href", "title", "rel"}, "ol": {"start"}}
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]


@dataclass
class HtmlReport(HTMLParser):
    """Everything a browser would see as markup in a rendered body."""

    elements: list[Element] = field(default_factory=list)
    oddities: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [name for name, _ in attrs]
        if len(names) != len(set(names)):
            self.oddities.append(f"duplicate attribute on <{tag}>: {names}")
        self.elements.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag not in ALLOWED_TAGS:
            self.oddities.append(f"closing tag </{tag}>")

    def handle_comment(self, data: str) -> None:
        self.oddities.append(f"comment <!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.oddities.append(f"declaration <!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.oddities.append(f"processing instruction <?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.oddities.append(f"unknown declaration {data}")


def parse(rendered: str) -> HtmlReport:
    report = HtmlReport()
    report.feed(rendered)
    report.close()
    return report


def href_scheme(href: str) -> str | None:
    """The scheme a browser would act on, or None for a relative or fragment URL.

    Browsers drop ASCII whitespace and control characters around and inside a
    URL's scheme, and decode entities first, so do the same before looking.
    """
    decoded = html.unescape(href)
    squashed = "".join(char for char in decoded if not (char.isspace() or unicodedata.category(char) == "Cc"))
    match = _SCHEME.match(squashed.lower())
    return match.group(1) if match else None


def assert_safe(source: str) -> str:
    rendered = render_markdown(source)
    report = parse(rendered)
    assert not report.oddities, (source, rendered, report.oddities)
    for element in report.elements:
        context = (source, rendered, element)
        assert element.tag in ALLOWED_TAGS, context
        assert element.tag != "img", context
        allowed = EXPECTED_ATTRIBUTES.get(element.tag, set())
        assert set(element.attrs) <= allowed, context
        assert not any(name.startswith("on") for name in element.attrs), context
        if element.tag == "a":
            assert element.attrs.get("rel") == LINK_REL, context
            href = element.attrs.get("href")
            if href is not None:
                scheme = href_scheme(href)
                assert scheme is None or scheme in URL_SCHEMES, context
        if element.tag == "ol" and "start" in element.attrs:
            assert (element.attrs["start"] or "").isdigit(), context
    return rendered


def test_the_allowlist_is_what_the_tests_assume() -> None:
    assert {tag: {*attrs, "rel"} if tag == "a" else set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()} == (
        EXPECTED_ATTRIBUTES
    )
    assert {"http", "https", "mailto"} == URL_SCHEMES
    assert LINK_REL == "nofollow ugc noopener noreferrer"
    assert "img" not in ALLOWED_TAGS


# --- The XSS corpus -------------------------------------------------------------

XSS_PAYLOADS = [
    # Raw HTML: markdown-it has html off, so these must come out as text.
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)><circle r=1/></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="width: expression(alert(1))">x</div>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<a href="javascript:alert(1)">raw link</a>',
    '<p onmouseover="alert(1)">hover</p>',
    "<details open ontoggle=alert(1)>",
    "<!-- <script>alert(1)</script> -->",
    "<!--><script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    # Markdown links with dangerous schemes.
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](data:image/png;base64,iVBORw0KGgo=)",
    "[click](file:///etc/passwd)",
    "[click](  javascript:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click](<java script:alert(1)>)",
    "[click](java\tscript:alert(1))",
    "[click](java\nscript:alert(1))",
    "[click](\x01javascript:alert(1))",
    "[click](jav&#x61;script:alert(1))",
    "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](java%73cript:alert(1))",
    "[click](%6A%61%76%61%73%63%72%69%70%74:alert(1))",
    "[click](\\javascript:alert(1))",
    "[click](java\u200bscript:alert(1))",
    "[click](javascript\uff1aalert(1))",
    "[click](\uff4a\uff41\uff56\uff41script:alert(1))",
    "[click](\u202ejavascript:alert(1))",
    # Autolinks.
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "<jav&#x61;script:alert(1)>",
    # Reference-style links.
    "[click][evil]\n\n[evil]: javascript:alert(1)",
    '[click][evil]\n\n[evil]: <javascript:alert(1)> "title"',
    "[evil]\n\n[evil]: jav&#x61;script:alert(1)",
    # Attribute injection through the link title and URL.
    '[a](http://x.example "\\" onmouseover=alert(1)")',
    "[a](http://x.example 'x\\' onmouseover=alert(1)')",
    '[a](http://x.example (" onclick=alert(1) x="))',
    '[a](http://x.example/"onmouseover="alert(1))',
    "[a](http://x.example/?q=<script>alert(1)</script>)",
    '[a](https://x.example/" style="background:url(javascript:alert(1)))',
    # Images: the image rule is off, and <img> is not allowed either.
    "![x](javascript:alert(1))",
    '![x](http://x.example/a.png "onerror=alert(1)")',
    "![x](x onerror=alert(1))",
    "[![x](http://x.example/a.png)](javascript:alert(1))",
    # Code must come out escaped.
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```",
    "    <iframe src=javascript:alert(1)></iframe>",
    "``[a](javascript:alert(1))``",
    # Nested and broken markup.
    "**<b onclick=alert(1)>bold</b>**",
    "> <script>alert(1)</script>\n> [q](javascript:alert(1))",
    "- [x](javascript:alert(1))\n  - <img src=x onerror=alert(1)>",
    "[a](http://x.example)<script>alert(1)</script>",
    '<a href="http://x.example" onclick="alert(1)">[b](javascript:alert(1))</a>',
    "<<script>script>alert(1)<</script>/script>",
    "[<script>alert(1)</script>](http://x.example)",
    "[a](http://x.example\\) [b](javascript:alert(1)\\)",
    "# <h1 onclick=alert(1)>heading</h1>",
    '1\\. <ol start="javascript:alert(1)">',
    # Unicode tricks in text.
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "<\u0000script>alert(1)</script>",
    "\u2028<script>alert(1)</script>\u2029",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_markup_renders_only_allowlisted_html(payload: str) -> None:
    assert_safe(payload)


def test_the_corpus_is_big_enough() -> None:
    assert len(XSS_PAYLOADS) >= 30
    assert len(set(XSS_PAYLOADS)) == len(XSS_PAYLOADS)


@pytest.mark.parametrize(
    "payload",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](jav&#x61;script:alert(1))",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "[click](data:image/png;base64,iVBORw0KGgo=)",
        "<javascript:alert(1)>",
        "[click][evil]\n\n[evil]: javascript:alert(1)",
    ],
)
def test_dangerous_link_schemes_never_become_an_href(payload: str) -> None:
    rendered = assert_safe(payload)
    assert "href" not in rendered


def test_raw_html_comes_out_as_escaped_text() -> None:
    rendered = assert_safe('<img src=x onerror="alert(1)"> and <script>alert(1)</script>')
    assert rendered == ('<p>&lt;img src=x onerror="alert(1)"&gt; and &lt;script&gt;alert(1)&lt;/script&gt;</p>\n')


def test_an_injected_title_stays_inside_the_title_attribute() -> None:
    rendered = assert_safe('[a](http://x.example "\\" onmouseover=alert(1)")')
    (link,) = [element for element in parse(rendered).elements if element.tag == "a"]
    assert link.attrs == {"href": "http://x.example", "title": '" onmouseover=alert(1)', "rel": LINK_REL}


def test_a_markdown_image_becomes_a_plain_link_not_an_img() -> None:
    rendered = assert_safe('![a photo](https://x.example/a.png "t")')
    assert "<img" not in rendered
    assert '<a href="https://x.example/a.png" title="t" rel="nofollow ugc noopener noreferrer">a photo</a>' in rendered


def test_unlisted_schemes_lose_their_href_but_keep_the_text() -> None:
    assert render_markdown("[call me](tel:123)") == '<p><a rel="nofollow ugc noopener noreferrer">call me</a></p>\n'
    assert render_markdown("[files](ftp://x.example)") == '<p><a rel="nofollow ugc noopener noreferrer">files</a></p>\n'


@pytest.mark.parametrize(
    ("source", "href"),
    [
        ("[a](/boards/coping-tips)", "/boards/coping-tips"),
        ("[a](#replies)", "#replies"),
        ("[a](//x.example/page)", "//x.example/page"),
        ("[a](<java script:alert(1)>)", "java%20script:alert(1)"),
    ],
)
def test_relative_urls_are_kept_and_carry_no_scheme(source: str, href: str) -> None:
    # The pipeline lets relative, fragment and protocol-relative links through:
    # none of them can run script, and an escaped space means there is no scheme.
    rendered = assert_safe(source)
    (link,) = [element for element in parse(rendered).elements if element.tag == "a"]
    assert link.attrs["href"] == href
    assert href_scheme(href) is None


def test_code_spans_and_blocks_show_script_as_text() -> None:
    assert render_markdown("`<script>alert(1)</script>`") == (
        "<p><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></p>\n"
    )
    assert (
        render_markdown("```\n<script>x</script>\n```") == "<pre><code>&lt;script&gt;x&lt;/script&gt;\n</code></pre>\n"
    )


def test_comments_are_dropped() -> None:
    assert "<!--" not in render_markdown("before <!-- hidden --> after")


# --- What members are meant to be able to write -----------------------------------


def test_emphasis_strong_and_strikethrough() -> None:
    assert render_markdown("**warm** compress, *gently*, ~~coffee~~") == (
        "<p><strong>warm</strong> compress, <em>gently</em>, <s>coffee</s></p>\n"
    )


def test_lists_keep_their_numbering() -> None:
    assert render_markdown("- rest\n- water\n") == "<ul>\n<li>rest</li>\n<li>water</li>\n</ul>\n"
    assert render_markdown("3. third\n4. fourth\n") == '<ol start="3">\n<li>third</li>\n<li>fourth</li>\n</ol>\n'


def test_links_get_the_community_rel() -> None:
    assert render_markdown("[guide](https://x.example/guide)") == (
        '<p><a href="https://x.example/guide" rel="nofollow ugc noopener noreferrer">guide</a></p>\n'
    )
    assert render_markdown("<mailto:group@x.example>") == (
        '<p><a href="mailto:group@x.example" rel="nofollow ugc noopener noreferrer">mailto:group@x.example</a></p>\n'
    )


def test_code_blocks_quotes_breaks_and_rules() -> None:
    assert render_markdown("```\nsleep 7h\n```") == "<pre><code>sleep 7h\n</code></pre>\n"
    assert render_markdown("> it gets easier") == "<blockquote>\n<p>it gets easier</p>\n</blockquote>\n"
    assert render_markdown("line one  \nline two") == "<p>line one<br>\nline two</p>\n"
    assert render_markdown("---") == "<hr>\n"


def test_h1_and_h2_become_h3_and_smaller_headings_stay() -> None:
    assert render_markdown("# One\n\n## Two\n\n### Three\n\n#### Four\n\n##### Five") == (
        "<h3>One</h3>\n<h3>Two</h3>\n<h3>Three</h3>\n<h4>Four</h4>\n<h5>Five</h5>\n"
    )


def test_h6_is_not_allowed_so_only_its_text_remains() -> None:
    assert render_markdown("###### Six") == "Six\n"


# --- Properties ---------------------------------------------------------------------

FRAGMENTS = [
    "<",
    ">",
    "</",
    "/>",
    "[",
    "]",
    "](",
    ")",
    "![",
    "]: ",
    "javascript:",
    "JaVaScRiPt:",
    "vbscript:",
    "data:text/html,",
    "jav&#x61;script:",
    "&#106;",
    "&colon;",
    "&lt;",
    "&",
    "#",
    ";",
    '"',
    "'",
    "`",
    "```",
    "*",
    "**",
    "_",
    "~~",
    "-",
    "1. ",
    "> ",
    "# ",
    "    ",
    "\n",
    "\n\n",
    "\t",
    "\x00",
    "\u200b",
    "\u202e",
    " ",
    "=",
    "http://x.example",
    "mailto:a@x.example",
    "//",
    "\\",
    "script",
    "img",
    "a href=",
    "onerror=",
    "onclick=",
    "alert(1)",
    "<!--",
    "-->",
    "<![CDATA[",
    "style=",
    "svg",
    "iframe",
]

markdownish = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=500))
def test_any_text_renders_safely(source: str) -> None:
    assert_safe(source)


@settings(max_examples=300, deadline=None)
@given(markdownish)
def test_any_mix_of_markdown_and_html_fragments_renders_safely(source: str) -> None:
    assert_safe(source)


@settings(max_examples=300, deadline=None)
@given(
    label=markdownish,
    destination=st.lists(st.sampled_from(FRAGMENTS), max_size=8).map("".join),
    title=st.text(max_size=20),
)
def test_any_markdown_link_renders_safely(label: str, destination: str, title: str) -> None:
    quoted = title.replace('"', '\\"')
    assert_safe(f'[{label}]({destination} "{quoted}")')
    assert_safe(f"<{destination}>")
    assert_safe(f"[{label}][r]\n\n[r]: {destination}")


# --- body_digest --------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        "My eyelid twitches more after coffee",
        "MY EYELID TWITCHES MORE AFTER COFFEE",
        "  my   eyelid\ttwitches\nmore after coffee  ",
        "my eyelid twitches more after \uff43\uff4f\uff46\uff46\uff45\uff45",
        "my eyelid twitches more after coffee\u00a0",
    ],
)
def test_body_digest_ignores_case_spacing_and_compatibility_forms(variant: str) -> None:
    assert body_digest(variant) == body_digest("my eyelid twitches more after coffee")


def test_body_digest_tells_different_texts_apart() -> None:
    assert body_digest("coffee makes it worse") != body_digest("coffee makes it better")
    assert body_digest("warm compress") != body_digest("warmcompress")
    assert body_digest("") != body_digest(" x ")


def test_body_digest_is_a_sha256_hex_string() -> None:
    digest = body_digest("anything")
    assert len(digest) == 64
    assert set(digest) <= set("0123456789abcdef")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="ascii", categories=["L", "N"]), min_size=1), max_size=12))
def test_body_digest_is_stable_under_case_and_spacing(words: list[str]) -> None:
    assert body_digest(" ".join(words)) == body_digest("\n  ".join(word.upper() for word in words) + "\t")
