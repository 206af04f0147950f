from django.core.management.base import BaseCommand

from community.services import ensure_demo_boards


class Command(BaseCommand):
    help = "Load the demo boards (safe to run again: only what is missing is created)."

    def handle(self, *args: object, **options: object) -> None:
        created = ensure_demo_boards()
        self.stdout.write(self.style.SUCCESS(f"Demo boards: {created} created."))
