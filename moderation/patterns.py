"""A small template language for screening patterns, compiled once to regular expressions.

Patterns run over :func:`moderation.textnorm.normalise` output: lower-case
tokens separated by single spaces, punctuation as tokens of its own. A
template is a sequence of elements separated by spaces:

- ``word`` — the token, or a regular expression for one token (``kill(?:ing|ed|s|)``; it
  must not end in ``?``, which always means "optional");
- ``(a|b c|d)`` — one of the alternatives, each itself a template;
- an element followed by ``?`` — optional (``(really|just)?``);
- ``…`` — up to four words in between, none of them a negation and never a
  punctuation mark, so a pattern never reaches across a clause or past a "not";
- ``{NAME}`` — a macro from the table passed to :func:`compile_template`.

Matching is done on ``" " + text + " "`` so every element can consume its own
trailing space and every match starts on a token boundary.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

NEGATIONS = (
    "not",
    "never",
    "no",
    "nor",
    "dont",
    "didnt",
    "doesnt",
    "wont",
    "wouldnt",
    "couldnt",
    "shouldnt",
    "isnt",
    "arent",
    "wasnt",
    "werent",
    "havent",
    "hasnt",
    "hardly",
    "nomore",
    "stopped",
)
_NEGATION_RE = "|".join(NEGATIONS)
GAP = rf"(?:(?!(?:{_NEGATION_RE}) )[\w']+ ){{0,4}}"


@dataclass(frozen=True)
class Pattern:
    category: str
    regex: re.Pattern[str]
    template: str
    # For each required element that is plain words, the tokens one of which must be in the text.
    anchors: tuple[frozenset[str], ...] = ()
    # The tokens a match can start with, when the first element is required and plain words.
    starts: frozenset[str] | None = None

    def may_match(self, tokens: frozenset[str] | set[str]) -> bool:
        """A cheap necessary condition: every required word element has one of its first words in ``tokens``.

        Running a hundred patterns over a 20,000-character post costs tens of milliseconds; most
        cannot match because a word they need is absent, and a set lookup says so in microseconds.
        """
        return all(not anchor.isdisjoint(tokens) for anchor in self.anchors)

    def finditer(self, padded: str, positions: Mapping[str, list[int]]) -> Iterator[re.Match[str]]:
        """``regex.finditer(padded)``, trying only where a token the pattern can start with stands.

        ``positions`` is :func:`token_positions` of ``padded``. The matches are the same, in the
        same order; the regex engine is just not asked at the thousands of places it cannot match.
        """
        if self.starts is None:
            yield from self.regex.finditer(padded)
            return
        end = 0
        for start in sorted(position for word in self.starts for position in positions.get(word, ())):
            if start < end:
                continue
            match = self.regex.match(padded, start)
            if match is not None:
                end = match.end()
                yield match


@lru_cache(maxsize=8)
def token_positions(padded: str) -> dict[str, list[int]]:
    """Where each space-separated token of ``padded`` starts."""
    positions: dict[str, list[int]] = {}
    offset = 0
    for token in padded.split(" "):
        if token:
            positions.setdefault(token, []).append(offset)
        offset += len(token) + 1
    return positions


def _split_top(template: str, sep: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in template:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == sep and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _elements(template: str) -> list[str]:
    """Split on spaces outside parentheses."""
    return [part for part in _split_top(template.strip(), " ") if part]


def _compile(template: str, macros: Mapping[str, str]) -> str:
    out = []
    for element in _elements(template):
        optional = element.endswith("?")
        body = element[:-1] if optional else element
        if body == "…":
            out.append(GAP)
            continue
        if body.startswith("{") and body.endswith("}"):
            piece = f"(?:{_compile(macros[body[1:-1]], macros)})"
        elif body.startswith("(") and body.endswith(")") and not body.startswith("(?"):
            alternatives = _split_top(body[1:-1], "|")
            piece = "(?:" + "|".join(_compile(alt, macros) for alt in alternatives) + ")"
        else:
            piece = f"(?:{body}) "
        out.append(f"(?:{piece})?" if optional else piece)
    return "".join(out)


def compile_template(template: str, macros: Mapping[str, str]) -> re.Pattern[str]:
    return re.compile("(?<= )" + _compile(template, macros))


_CHARACTER_CLASS = re.compile(r"^\[[^\]^\\]+-?\]$")  # "[,:;.!?-]": punctuation tokens, no ranges
_PLAIN_TOKEN = re.compile(r"^(?:[\w']+|[%&=+#@£$])$")


def _first_words(element: str, macros: Mapping[str, str]) -> frozenset[str] | None:
    """The words a required element can start with, or None when that cannot be said cheaply."""
    if element.startswith("{") and element.endswith("}"):
        element = f"({macros[element[1:-1]]})"
    if element.startswith("(") and element.endswith(")") and not element.startswith("(?"):
        words: set[str] = set()
        for alternative in _split_top(element[1:-1], "|"):
            parts = _elements(alternative)
            if not parts or parts[0].endswith("?") or parts[0] == "…":
                return None
            first = _first_words(parts[0], macros)
            if first is None:
                return None
            words |= first
        return frozenset(words)
    if _CHARACTER_CLASS.match(element):
        return frozenset(element[1:-1])
    return frozenset({element}) if _PLAIN_TOKEN.match(element) else None


def anchors_of(template: str, macros: Mapping[str, str]) -> tuple[frozenset[str], ...]:
    anchors = []
    for element in _elements(template):
        if element.endswith("?") or element == "…":
            continue
        first = _first_words(element, macros)
        if first is not None:
            anchors.append(first)
    return tuple(anchors)


def starts_of(template: str, macros: Mapping[str, str]) -> frozenset[str] | None:
    first = _elements(template)[0]
    if first.endswith("?") or first == "…":
        return None
    return _first_words(first, macros)


def compile_all(spec: Mapping[str, tuple[str, ...]], macros: Mapping[str, str]) -> tuple[Pattern, ...]:
    return tuple(
        Pattern(
            category,
            compile_template(template, macros),
            template,
            anchors_of(template, macros),
            starts_of(template, macros),
        )
        for category, templates in spec.items()
        for template in templates
    )


_CLAUSE_BREAKERS = frozenset(
    {"and", "but", "so", "because", "though", "although", "yet", "then", "or", "if", "how", "whether", "why"}
)
_PUNCTUATION = re.compile(r"^[^\w\s]$")
_BLOCKERS = frozenset(NEGATIONS) | {"used"}
# "I don't know how much longer I can hold on", "not sure I want to be here": doubt, not denial.
_NOT_A_DENIAL = frozenset({"know", "sure"})


def preceding_tokens(padded: str, start: int, limit: int = 4) -> list[str]:
    """Up to ``limit`` tokens before ``start`` in the same clause, nearest last."""
    tokens = padded[max(0, start - 80) : start].split()
    clause: list[str] = []
    for token in reversed(tokens):
        if _PUNCTUATION.match(token) or token in _CLAUSE_BREAKERS:
            break
        clause.append(token)
        if len(clause) == limit:
            break
    return list(reversed(clause))


def negated(padded: str, start: int) -> bool:
    """Whether a negation (or "used to", for the past) governs the phrase at ``start`` in its own clause.

    "I'm not going to kill myself" and "I would never hurt myself" are negated; in "I have no
    energy and I want to die" the "no" belongs to another clause.
    """
    tokens = preceding_tokens(padded, start)
    return any(
        token in _BLOCKERS and (tokens[i + 1 : i + 2] or [""])[0] not in _NOT_A_DENIAL for i, token in enumerate(tokens)
    )
