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
from collections.abc import Mapping
from dataclasses import dataclass

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


def compile_all(spec: Mapping[str, tuple[str, ...]], macros: Mapping[str, str]) -> tuple[Pattern, ...]:
    return tuple(
        Pattern(category, compile_template(template, macros), template)
        for category, templates in spec.items()
        for template in templates
    )


_CLAUSE_BREAKERS = frozenset({"and", "but", "so", "because", "though", "although", "yet", "then", "or", "if"})
_PUNCTUATION = re.compile(r"^[^\w\s]$")
_BLOCKERS = frozenset(NEGATIONS) | {"used"}


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
    return any(token in _BLOCKERS for token in preceding_tokens(padded, start))
