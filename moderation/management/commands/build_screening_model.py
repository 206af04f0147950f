from typing import Any

from django.core.management.base import BaseCommand

from moderation.classifier import MODEL_PATH, build_and_save


class Command(BaseCommand):
    help = "Train the screening classifier on moderation/corpus/ (deterministic) and save it for the processes to load."

    def handle(self, *args: Any, **options: Any) -> None:
        model = build_and_save()
        self.stdout.write(f"screening model written to {MODEL_PATH.name} (corpus {model.fingerprint[:12]})")
