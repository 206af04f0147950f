from django.core.management.base import BaseCommand

from community.seed import seed_demo_content
from community.services import ensure_demo_boards


class Command(BaseCommand):
    help = "Load the demo boards and sample conversations (safe to run again: only what is missing is created)."

    def handle(self, *args: object, **options: object) -> None:
        boards = ensure_demo_boards()
        topics = seed_demo_content()
        self.stdout.write(self.style.SUCCESS(f"Demo boards: {boards} created. Demo topics: {topics} created."))
