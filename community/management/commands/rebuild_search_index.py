from django.core.management.base import BaseCommand
from django.db import transaction

from community.search import index as search_index


class Command(BaseCommand):
    help = "Rebuild the search index from the posts (after a restore, or rows written around the services)."

    def handle(self, *args: object, **options: object) -> None:
        # One transaction: searches see the old index until the new one is complete.
        with transaction.atomic():
            indexed = search_index.rebuild()
        self.stdout.write(self.style.SUCCESS(f"Indexed {indexed} posts."))
