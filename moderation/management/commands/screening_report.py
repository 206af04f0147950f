from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from moderation import evaluation
from moderation.classifier import HELD_OUT_FILE, ScreeningModel, load_corpus


class Command(BaseCommand):
    help = (
        "Precision and recall of screening per category under k-fold cross-validation, the confusion between "
        "tiers, the worst misses, and the held-out set. --check fails when a threshold is not met."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--check", action="store_true", help="exit non-zero when a threshold is not met")

    def handle(self, *args: Any, **options: Any) -> None:
        examples = load_corpus()
        report = evaluation.cross_validate(examples, folds=options["folds"])
        out = self.stdout.write
        out(f"Screening report: {len(examples)} posts, {options['folds']}-fold cross-validation")
        self._figures(report)
        out("\nPer category (found / total):")
        for label, category, found, total in report.per_category():
            out(f"  {label:16} {category:20} {found:4} / {total:<4} {found / total:6.1%}")
        out("\nTier confusion (expected -> screened):")
        for label, counts in sorted(report.tier_confusion().items()):
            out(f"  {label:16} " + "  ".join(f"{tier}={n}" for tier, n in sorted(counts.items())))
        out("\nWorst misses:")
        for outcome in report.worst_misses():
            out(f"  [{outcome.example.label}/{outcome.example.category}] {outcome.example.text}")
        out("\nFalse alarms:")
        for outcome in report.false_alarms():
            out(f"  [{outcome.example.label}/{outcome.example.category}] {outcome.reasons} {outcome.example.text}")
        held = load_corpus([HELD_OUT_FILE])
        out(f"\nHeld-out set ({len(held)} posts, model trained on the whole corpus):")
        self._figures(evaluation.held_out(ScreeningModel.train(examples), held))
        failures = report.failures()
        if options["check"] and failures:
            raise CommandError("screening below threshold: " + "; ".join(failures))

    def _figures(self, report: evaluation.Report) -> None:
        for name, value in report.figures.items():
            limit = evaluation.THRESHOLDS.get(name)
            self.stdout.write(f"  {name:22} {value:.3f}" + (f"  (threshold {limit:.2f})" if limit else ""))
