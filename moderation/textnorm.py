"""Text normalisation for screening: how members really write, folded into one form.

Pure functions, no Django. The patterns in :mod:`moderation.warning_signs` and
:mod:`moderation.medical_signs`, and the classifier in
:mod:`moderation.classifier`, all read the output of :func:`normalise`, so
"I dont", "I don\u2019t" and "I do not" look the same to every layer.

The form chosen is lower case, straight apostrophes, contractions written
without them ("dont", "cant", "im"), elongated letters folded ("sooo" → "so"),
common misspellings corrected and slang for suicide and self-harm spelled
out ("kms" → "kill myself").
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u0060": "'", "\u00b4": "'"})
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-"})

# Each key is a whole token (after lower-casing and dropping apostrophes).
# Contractions are kept in their apostrophe-less form: "don't" and "dont" both become "dont".
_TOKEN_MAP: dict[str, str] = {
    # contractions written out in full or half
    "cannot": "cant",
    "wanna": "want to",
    "wana": "want to",
    "wanted2": "wanted to",
    "want2": "want to",
    "gonna": "going to",
    "gona": "going to",
    "gotta": "got to",
    "tryna": "trying to",
    "imma": "im going to",
    "ima": "im going to",
    "ill": "ill",
    "u": "you",
    "ur": "your",
    "r": "are",
    "y": "why",
    "ppl": "people",
    "every1": "everyone",
    "some1": "someone",
    "no1": "no one",
    "noone": "no one",
    "any1": "anyone",
    "2day": "today",
    "2nite": "tonight",
    "tonite": "tonight",
    "nite": "night",
    "b4": "before",
    "pls": "please",
    "plz": "please",
    "bc": "because",
    "cuz": "because",
    "coz": "because",
    "cos": "because",
    "abt": "about",
    "thx": "thanks",
    "w/o": "without",
    "rn": "right now",
    "idk": "i dont know",
    "tbh": "to be honest",
    "ngl": "not going to lie",
    "imo": "in my opinion",
    "iirc": "if i remember correctly",
    "dunno": "dont know",
    "anymore": "anymore",
    "alot": "a lot",
    "doc": "doctor",
    "docs": "doctors",
    "neuro": "neurologist",
    "neuros": "neurologists",
    "meds": "meds",
    "medz": "meds",
    "tabs": "tablets",
    "mgs": "mg",
    # slang and euphemism for suicide and self-harm
    "kms": "kill myself",
    "kmsl": "kill myself",
    "ctb": "catch the bus",
    "unalive": "kill",
    "unaliving": "killing",
    "unalived": "killed",
    "sewerslide": "suicide",
    "suicde": "suicide",
    "sucide": "suicide",
    "suicid": "suicide",
    "suiside": "suicide",
    "suicidel": "suicidal",
    "suicdal": "suicidal",
    "sucidal": "suicidal",
    "suicidial": "suicidal",
    "suicidle": "suicidal",
    "sh": "self harm",
    "shd": "self harmed",
    "shing": "self harming",
    "selfharm": "self harm",
    "selfharming": "self harming",
    "od": "overdose",
    "oding": "overdosing",
    "od'd": "overdosed",
    "odd": "odd",
    "myslef": "myself",
    "mysefl": "myself",
    "mself": "myself",
    "meself": "myself",
    "myelf": "myself",
    "anymoe": "anymore",
    "anymroe": "anymore",
    "goodby": "goodbye",
    "gbye": "goodbye",
    "g'bye": "goodbye",
    "byee": "bye",
    "burdon": "burden",
    "pils": "pills",
    "pillz": "pills",
    "tablits": "tablets",
    "everyon": "everyone",
    "evryone": "everyone",
    "everybody": "everyone",
    "alive": "alive",
    "aliv": "alive",
    "tierd": "tired",
    "tird": "tired",
    "becuase": "because",
    "becasue": "because",
    "neurologest": "neurologist",
    "nuerologist": "neurologist",
    "medecine": "medicine",
    "medicaton": "medication",
    "medicatoin": "medication",
    "botox": "botox",
    "wont": "wont",
    "cant": "cant",
    "im": "im",
    "iam": "im",
    "i'am": "im",
    "ive": "ive",
    "id": "id",
    "dont": "dont",
    "didnt": "didnt",
    "doesnt": "doesnt",
    "isnt": "isnt",
    "wasnt": "wasnt",
    "wouldnt": "wouldnt",
    "shouldnt": "shouldnt",
    "couldnt": "couldnt",
    "havent": "havent",
    "hasnt": "hasnt",
    "arent": "arent",
    "werent": "werent",
    "aint": "aint",
    "thats": "thats",
    "whats": "whats",
    "theres": "theres",
    "youre": "youre",
    "youd": "youd",
    "youll": "youll",
    "theyre": "theyre",
    "hes": "hes",
    "shes": "shes",
    "its": "its",
}

# Two-word spellings folded after the token map ("do not" → "dont"): (first word, pattern, replacement).
_PHRASES: tuple[tuple[str, str], ...] = (
    ("do not", "dont"),
    ("does not", "doesnt"),
    ("did not", "didnt"),
    ("can not", "cant"),
    ("could not", "couldnt"),
    ("would not", "wouldnt"),
    ("will not", "wont"),
    ("is not", "isnt"),
    ("are not", "arent"),
    ("was not", "wasnt"),
    ("were not", "werent"),
    ("have not", "havent"),
    ("has not", "hasnt"),
    ("should not", "shouldnt"),
    ("i am", "im"),
    ("i have", "ive"),
    ("i would", "id"),
    ("i will", "ill"),
    ("any longer", "anymore"),
    ("any more", "anymore"),
    ("un alive", "kill"),
    ("k m s", "kill myself"),
    ("no - one", "no one"),
    ("every one", "everyone"),
    ("self - harm", "self harm"),
    ("self - harming", "self harming"),
)
_PHRASE_TARGET = dict(_PHRASES)
_PHRASE_RE = re.compile(r"(?<![\w'])(?:" + "|".join(re.escape(source) for source, _ in _PHRASES) + r")(?![\w'])")

# Words whose elongated or doubled forms we want to recognise ("dieee", "byeee", "pleaseee").
_KNOWN_WORDS = frozenset(
    {
        "die",
        "dead",
        "bye",
        "goodbye",
        "please",
        "tired",
        "so",
        "no",
        "help",
        "done",
        "over",
        "end",
        "alone",
        "hate",
        "sorry",
        "myself",
        "anymore",
        "life",
        "live",
        "alive",
        "gone",
        "why",
        "just",
        "cant",
        "dont",
        "want",
        "hurt",
        "pain",
        "hope",
        "now",
        "tonight",
        "forever",
        "nobody",
        "everyone",
        "ok",
        "okay",
    }
)

_ELONGATED = re.compile(r"([a-z])\1{2,}")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)?[^\W\d_]*|[^\W_][\w'/]*|[^\w\s]")
_NUMBER_WITH_UNIT = re.compile(r"(\d+(?:[.,]\d+)?)([^\W\d_]+)")
_SPACE = re.compile(r"\s+")


def _fold_elongation(word: str) -> str:
    if not _ELONGATED.search(word):
        return word
    doubled = _ELONGATED.sub(r"\1\1", word)
    single = _ELONGATED.sub(r"\1", word)
    if single in _KNOWN_WORDS or single in _TOKEN_MAP:
        return single
    if doubled in _KNOWN_WORDS or doubled in _TOKEN_MAP:
        return doubled
    # "sooo" → "so", "sleeeep" → "sleep": a doubled letter is the likelier spelling for
    # consonants and for "ee"/"oo", a single one otherwise.
    return doubled


@cache
def _fold_token(token: str) -> str:
    token = _fold_elongation(token)
    bare = token.replace("'", "")
    if bare[:1].isdigit() and bare not in _TOKEN_MAP:
        return _NUMBER_WITH_UNIT.sub(r"\1 \2", bare)  # "20mg" → "20 mg"
    mapped = _TOKEN_MAP.get(token) or _TOKEN_MAP.get(bare)
    if mapped is not None:
        return mapped
    # Possessives and contractions lose their apostrophe: "don't" → "dont", "mum's" → "mums".
    return bare


def fold_characters(text: str, table: dict[int, str]) -> str:
    """``text.translate(table)`` for a handful of characters, as fast as ``str.replace`` (translate is
    a dictionary lookup per character: about 2 ms on a 20,000-character post)."""
    for code, replacement in table.items():
        character = chr(code)
        if character in text:
            text = text.replace(character, replacement)
    return text


def normalise(text: str) -> str:
    """Lower case, one apostrophe, one spelling; punctuation kept as separate tokens.

    Punctuation stays because clause boundaries matter to negation ("I'm not ok. I want
    to die") and to the patterns, which never match across a full stop.
    """
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = fold_characters(text, _APOSTROPHES | _DASHES)
    text = text.lower()
    tokens = [_fold_token(token) for token in _TOKEN.findall(text)]
    folded = " ".join(token for token in tokens if token)
    return _PHRASE_RE.sub(lambda match: _PHRASE_TARGET[match.group(0)], folded)
