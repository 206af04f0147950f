from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from accounts.models import DigestFrequency
from community import digests


class Command(BaseCommand):
    help = "Send the current period's digests now. Running it twice sends nothing twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--frequency", choices=[DigestFrequency.DAILY, DigestFrequency.WEEKLY])
        parser.add_argument("--force", action="store_true", help="Ignore members' send hour (and the weekly day).")

    def handle(self, *args: object, frequency: str | None, force: bool, **options: object) -> None:
        due = digests.due_members(timezone.now(), frequency=frequency, force=force)
        totals = {"sent": 0, "skipped": 0, "retry": 0, "failed": 0}
        for period, user_ids in due.items():
            for batch in digests.batches(user_ids):
                result = digests.deliver_batch(batch, period)
                for name in totals:
                    totals[name] += len(getattr(result, name))
        self.stdout.write(self.style.SUCCESS(", ".join(f"{n} {name}" for name, n in totals.items())))
