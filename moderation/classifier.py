"""The statistical layer of screening: a small classifier trained on the project's labelled corpus.

TF-IDF over word uni- and bigrams and character 3-5-grams (inside word
boundaries, so misspellings and run-together words still share features),
with a class-balanced logistic regression. It reads the same normalised text
as the patterns. Long posts are scored sentence window by sentence window and
the most worrying window counts, so one sentence of crisis in a long post about
injections is not diluted away.

The model is built from ``moderation/corpus/*.jsonl`` (never the held-out
file) by ``manage.py build_screening_model``, deterministically (fixed seed,
sorted input). :func:`default_model` loads it once per process; when the file
is missing or was built from another corpus or library version, it trains in
memory from the corpus instead (about a second), so screening never depends
on a build step having run. Nothing is fetched at run time.

No Django here: the corpus and the model file are plain files.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import re
import threading
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from moderation.textnorm import normalise

logger = logging.getLogger(__name__)

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
TRAINING_FILES = ("crisis.jsonl", "medical.jsonl", "forum.jsonl")
HELD_OUT_FILE = "heldout.jsonl"
MODEL_PATH = Path(__file__).resolve().parent / "screening-model.pkl"
SEED = 20261121

# The classes the model tells apart; "safe" and "medical_safe" are both "none".
EXPLICIT, INDIRECT, SOMEONE_ELSE, MEDICAL, NONE = (
    "crisis_explicit",
    "crisis_indirect",
    "concern_other",
    "medical_unsafe",
    "none",
)
CLASSES = (EXPLICIT, INDIRECT, SOMEONE_ELSE, MEDICAL, NONE)
WINDOW_CHARS = 400
CHAR_NGRAMS = (3, 4, 5)
_SENTENCE_END = re.compile(r"(?<=[.!?]) ")
_PUNCTUATION_TOKEN = re.compile(r"(?:^| )[^\w\s](?= |$)")


def model_text(normalised: str) -> str:
    """What the model reads: words only. Punctuation carries no meaning for it, only noise."""
    return _PUNCTUATION_TOKEN.sub("", normalised).strip()


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    category: str

    @property
    def target(self) -> str:
        return self.label if self.label in CLASSES else NONE


def load_corpus(files: Iterable[str] = TRAINING_FILES, directory: Path = CORPUS_DIR) -> list[Example]:
    examples = []
    for name in files:
        with (directory / name).open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    row = json.loads(line)
                    examples.append(Example(row["text"], row["label"], row["category"]))
    return examples


def corpus_fingerprint(examples: Sequence[Example]) -> str:
    digest = hashlib.sha256()
    for example in examples:
        digest.update(f"{example.label}\t{example.category}\t{example.text}\n".encode())
    digest.update(f"sklearn={sklearn.__version__};window={WINDOW_CHARS}".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class ModelScore:
    """The most worrying window's probabilities, and the words that pushed it there."""

    probabilities: dict[str, float]
    evidence: tuple[str, ...] = ()

    def probability(self, label: str) -> float:
        return self.probabilities.get(label, 0.0)

    @property
    def crisis(self) -> float:
        return self.probability(EXPLICIT) + self.probability(INDIRECT) + self.probability(SOMEONE_ELSE)


NO_SCORE = ModelScore(dict.fromkeys(CLASSES, 0.0))


def windows(text: str) -> list[str]:
    """Sentence windows of about ``WINDOW_CHARS`` characters over normalised text (the whole text if short)."""
    if len(text) <= WINDOW_CHARS:
        return [text]
    chunks, current = [], ""
    for sentence in _SENTENCE_END.split(text):
        if current and len(current) + len(sentence) > WINDOW_CHARS:
            chunks.append(current)
            current = ""
        current = f"{current} {sentence}".strip()
        while len(current) > 2 * WINDOW_CHARS:  # no sentence breaks: cut on a space
            cut = current.rfind(" ", 0, WINDOW_CHARS) + 1 or WINDOW_CHARS
            chunks.append(current[:cut])
            current = current[cut:]
    if current:
        chunks.append(current)
    return chunks


def _char_grams(word: str) -> list[str]:
    padded = f" {word} "
    return [padded[i : i + n] for n in CHAR_NGRAMS for i in range(len(padded) - n + 1)]


def char_ngrams(text: str) -> list[str]:
    """Character 3-5-grams inside word boundaries, like scikit-learn's ``char_wb``."""
    return [gram for word in text.split() for gram in _char_grams(word)]


def word_ngrams(text: str) -> list[str]:
    words = text.split()
    return words + [f"{a} {b}" for a, b in pairwise(words)]


class Featurizer:
    """TF-IDF over word 1-2-grams and character 3-5-grams, fitted by scikit-learn, applied fast.

    Fitting uses ``TfidfVectorizer`` (vocabulary, idf). Transforming computes the same
    sublinear, l2-normalised TF-IDF, but looks each distinct word's features up once and
    caches them, instead of building and hashing every n-gram string of every occurrence:
    a 20,000-character post is scored in a few milliseconds.
    """

    def __init__(self) -> None:
        self.word = TfidfVectorizer(analyzer=word_ngrams, sublinear_tf=True, min_df=1)
        self.char = TfidfVectorizer(analyzer=char_ngrams, sublinear_tf=True, min_df=2)
        self._word_cache: dict[str, tuple[int, ...]] = {}

    def fit_transform(self, docs: Sequence[str]) -> Any:
        matrix = sparse.hstack([self.word.fit_transform(docs), self.char.fit_transform(docs)]).tocsr()
        self._prepare()
        return matrix

    def _prepare(self) -> None:
        self._word_vocab = dict(self.word.vocabulary_)
        offset = len(self._word_vocab)
        self._char_vocab = {gram: index + offset for gram, index in self.char.vocabulary_.items()}
        self._idf = np.concatenate([self.word.idf_, self.char.idf_])
        self._size = offset + len(self._char_vocab)
        names = [*self.word.get_feature_names_out(), *(f"~{gram}" for gram in self.char.get_feature_names_out())]
        self.feature_names = np.asarray(names, dtype=object)
        self.word_feature_count = offset
        self._word_cache = {}

    def _features_of_word(self, word: str) -> tuple[int, ...]:
        cached = self._word_cache.get(word)
        if cached is None:
            vocab = self._char_vocab
            cached = tuple(vocab[gram] for gram in _char_grams(word) if gram in vocab)
            if (unigram := self._word_vocab.get(word)) is not None:
                cached = (unigram, *cached)
            if len(self._word_cache) < 100_000:
                self._word_cache[word] = cached
        return cached

    def transform(self, docs: Sequence[str]) -> Any:
        cols = array("q")
        indptr = array("q", [0])
        bigrams = self._word_vocab
        for doc in docs:
            words = doc.split()
            for word in words:
                cols.extend(self._features_of_word(word))
            for pair in pairwise(words):
                if (index := bigrams.get(f"{pair[0]} {pair[1]}")) is not None:
                    cols.append(index)
            indptr.append(len(cols))
        indices = np.frombuffer(cols, dtype=np.int64) if cols else np.zeros(0, dtype=np.int64)
        counts = sparse.csr_matrix(
            (np.ones(len(indices)), indices, np.frombuffer(indptr, dtype=np.int64)), shape=(len(docs), self._size)
        )
        counts.sum_duplicates()
        counts.data = (np.log(counts.data) + 1.0) * self._idf[counts.indices]
        # Each block is normalised on its own, as the two fitted vectorizers do.
        split = self.word_feature_count
        return sparse.hstack([normalize(counts[:, :split]), normalize(counts[:, split:])]).tocsr()


class ScreeningModel:
    def __init__(self, featurizer: Featurizer, classifier: LogisticRegression, fingerprint: str) -> None:
        self.featurizer = featurizer
        self.classifier = classifier
        self.fingerprint = fingerprint
        self._classes = [str(label) for label in classifier.classes_]

    @classmethod
    def train(cls, examples: Sequence[Example]) -> ScreeningModel:
        ordered = sorted(examples, key=lambda e: (e.target, e.text))
        featurizer = Featurizer()
        features = featurizer.fit_transform([model_text(normalise(e.text)) for e in ordered])
        classifier = LogisticRegression(C=20.0, class_weight="balanced", max_iter=5000, random_state=SEED)
        classifier.fit(features, [e.target for e in ordered])
        return cls(featurizer, classifier, corpus_fingerprint(examples))

    def score_normalised(self, text: str) -> ModelScore:
        if not model_text(text):
            return NO_SCORE
        parts = [model_text(part) for part in windows(text)]
        features = self.featurizer.transform(parts)
        probabilities = self.classifier.predict_proba(features)
        none_index = self._classes.index(NONE)
        worst = int(np.argmin(probabilities[:, none_index]))
        row = probabilities[worst]
        best_index = int(np.argmax(row))
        return ModelScore(
            {label: float(row[i]) for i, label in enumerate(self._classes)},
            self._evidence(features[worst], best_index) if self._classes[best_index] != NONE else (),
        )

    def score(self, text: str) -> ModelScore:
        return self.score_normalised(normalise(text))

    def _evidence(self, row: Any, class_index: int, count: int = 3) -> tuple[str, ...]:
        """The word features that pushed this window toward the class most, as a moderator can read them."""
        coefficients = self.classifier.coef_[class_index]
        indices = row.indices
        contributions = row.data * coefficients[indices]
        order = np.argsort(-contributions)
        words = []
        for position in order:
            index = indices[position]
            if contributions[position] <= 0:
                break
            if index < self.featurizer.word_feature_count:
                words.append(str(self.featurizer.feature_names[index]))
            if len(words) == count:
                break
        return tuple(words)

    def save(self, path: Path = MODEL_PATH) -> None:
        path.write_bytes(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL))


def build_and_save(path: Path = MODEL_PATH) -> ScreeningModel:
    model = ScreeningModel.train(load_corpus())
    model.save(path)
    return model


_lock = threading.Lock()
_loaded: dict[str, ScreeningModel] = {}


def default_model() -> ScreeningModel:
    """The model for this process: loaded from ``MODEL_PATH`` once, or trained from the corpus if that is stale."""
    model = _loaded.get("default")
    if model is not None:
        return model
    with _lock:
        if "default" not in _loaded:
            _loaded["default"] = _load_or_train()
    return _loaded["default"]


def _load_or_train() -> ScreeningModel:
    examples = load_corpus()
    fingerprint = corpus_fingerprint(examples)
    if MODEL_PATH.exists():
        try:
            model = pickle.loads(MODEL_PATH.read_bytes())  # noqa: S301 - see the import
            if isinstance(model, ScreeningModel) and model.fingerprint == fingerprint:
                return model
            logger.info("screening model at %s is stale: training from the corpus", MODEL_PATH.name)
        except (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError, ValueError):
            # A file from another library or project version: train instead.
            logger.warning("screening model at %s could not be loaded: training from the corpus", MODEL_PATH.name)
    return ScreeningModel.train(examples)
