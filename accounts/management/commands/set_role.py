from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Role, User
from accounts.services import set_role


class Command(BaseCommand):
    help = "Grant or remove the moderator role: set_role USERNAME moderator|member"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)

    def handle(self, *args: object, username: str, role: str, **options: object) -> None:
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(f"No member called {username!r}.")
        if set_role(actor=None, user=user, role=role):
            self.stdout.write(self.style.SUCCESS(f"{user.username} is now {role}."))
        else:
            self.stdout.write(f"{user.username} was already {role}; nothing changed.")
