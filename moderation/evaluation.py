"""How well screening does on the labelled corpus, measured honestly: k-fold cross-validation.

Every post is screened by the full pipeline (normalisation, patterns, and a
classifier trained on the *other* folds only), so no post is scored by a model
that saw it. The held-out file is scored by the model trained on the whole
training corpus; it was written apart from the patterns and never used to
tune them. Pure: no Django.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from sklearn.model_selection import StratifiedKFold

from moderation.classifier import SEED, Example, ScreeningModel
from moderation.screening import MEDICAL_REASONS, AuthorFacts, Verdict, screen
from moderation.warning_signs import Tier

# Screened as an established member, so only what the words say decides.
_MEMBER = AuthorFacts(trust_level="member", published_posts=50)
CRISIS_LABELS = ("crisis_explicit", "crisis_indirect")
EXPECTED_TIER = {
    "crisis_explicit": Tier.EXPLICIT,
    "crisis_indirect": Tier.INDIRECT,
    "concern_other": Tier.SOMEONE_ELSE,
}

THRESHOLDS = {
    "crisis_recall": 0.90,
    "crisis_false_alarms": 0.10,
    "medical_recall": 0.85,
    "medical_false_alarms": 0.10,
}


@dataclass
class Outcome:
    example: Example
    tier: Tier | None
    medical: bool
    reasons: list[str]


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def _rate(self, labels: Sequence[str], hit: str, categories: Sequence[str] | None = None) -> tuple[int, int]:
        rows = [
            o
            for o in self.outcomes
            if o.example.label in labels and (categories is None or o.example.category in categories)
        ]
        if hit == "crisis":
            found = sum(1 for o in rows if o.tier in (Tier.EXPLICIT, Tier.INDIRECT))
        elif hit == "any_support":
            found = sum(1 for o in rows if o.tier is not None)
        else:
            found = sum(1 for o in rows if o.medical)
        return found, len(rows)

    @staticmethod
    def _ratio(pair: tuple[int, int]) -> float:
        return pair[0] / pair[1] if pair[1] else 0.0

    @property
    def figures(self) -> dict[str, float]:
        return {
            "crisis_recall": self._ratio(self._rate(CRISIS_LABELS, "crisis")),
            "crisis_false_alarms": self._ratio(self._rate(("safe",), "crisis")),
            "ordinary_false_alarms": self._ratio(self._rate(("ordinary",), "crisis")),
            "concern_recall": self._ratio(self._rate(("concern_other",), "any_support")),
            "medical_recall": self._ratio(self._rate(("medical_unsafe",), "medical")),
            "medical_false_alarms": self._ratio(self._rate(("medical_safe",), "medical")),
        }

    def failures(self) -> list[str]:
        figures = self.figures
        failed = []
        for name, limit in THRESHOLDS.items():
            value = figures[name]
            if name.endswith("recall") and value < limit:
                failed.append(f"{name} {value:.3f} < {limit:.2f}")
            if name.endswith("false_alarms") and value > limit:
                failed.append(f"{name} {value:.3f} > {limit:.2f}")
        return failed

    def per_category(self) -> list[tuple[str, str, int, int]]:
        """(label, category, found, total) for every category in the corpus."""
        groups: Counter[tuple[str, str]] = Counter()
        found: Counter[tuple[str, str]] = Counter()
        for o in self.outcomes:
            key = (o.example.label, o.example.category)
            groups[key] += 1
            if o.example.label in ("medical_unsafe", "medical_safe"):
                found[key] += o.medical
            else:
                found[key] += o.tier is not None
        return [(label, cat, found[(label, cat)], total) for (label, cat), total in sorted(groups.items())]

    def tier_confusion(self) -> dict[str, Counter[str]]:
        confusion: dict[str, Counter[str]] = {}
        for o in self.outcomes:
            if o.example.label in (*EXPECTED_TIER, "safe"):
                confusion.setdefault(o.example.label, Counter())[o.tier.value if o.tier else "none"] += 1
        return confusion

    def worst_misses(self, limit: int = 10) -> list[Outcome]:
        misses = [o for o in self.outcomes if o.example.label == "crisis_explicit" and o.tier is None]
        misses += [o for o in self.outcomes if o.example.label == "crisis_indirect" and o.tier is None]
        misses += [o for o in self.outcomes if o.example.label == "medical_unsafe" and not o.medical]
        return misses[:limit]

    def false_alarms(self, limit: int = 10) -> list[Outcome]:
        return [
            o
            for o in self.outcomes
            if (o.example.label in ("safe", "ordinary") and o.tier in (Tier.EXPLICIT, Tier.INDIRECT))
            or (o.example.label == "medical_safe" and o.medical)
        ][:limit]


def _outcome(example: Example, verdict: Verdict) -> Outcome:
    medical = any(r.reason in MEDICAL_REASONS or r.reason == "selling" for r in verdict.reasons)
    return Outcome(example, verdict.support_tier, medical, [r.reason for r in verdict.reasons])


def score_with(model: ScreeningModel, examples: Sequence[Example]) -> list[Outcome]:
    from datetime import UTC, datetime

    now = datetime(2026, 1, 1, tzinfo=UTC)
    return [_outcome(example, screen(example.text, _MEMBER, now=now, model=model)) for example in examples]


def cross_validate(examples: Sequence[Example], folds: int = 5) -> Report:
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    targets = [f"{e.label}/{e.category}" if e.label in EXPECTED_TIER else e.label for e in examples]
    report = Report()
    for train_index, test_index in splitter.split(list(examples), targets):
        model = ScreeningModel.train([examples[i] for i in train_index])
        report.outcomes.extend(score_with(model, [examples[i] for i in test_index]))
    return report


def held_out(model: ScreeningModel, examples: Sequence[Example]) -> Report:
    return Report(score_with(model, examples))
