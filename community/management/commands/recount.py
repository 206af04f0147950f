from django.core.management.base import BaseCommand, CommandParser

from community.models import Topic
from community.services import recount_topic


class Command(BaseCommand):
    help = "Recompute denormalised counters (replies, reactions, tip outcomes) from the rows and repair them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--topic", type=int, action="append", help="Only these topic ids (repeatable).")

    def handle(self, *args: object, topic: list[int] | None = None, **options: object) -> None:
        ids = topic or Topic.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=2000)
        checked = repaired = 0
        for topic_id in ids:
            checked += 1
            repaired += recount_topic(topic_id=topic_id)
        self.stdout.write(self.style.SUCCESS(f"Checked {checked} topics, repaired {repaired}."))
