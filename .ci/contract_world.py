"""The people the contract run acts as: a member and a moderator with a known password.

Run by ``.ci/contract`` after ``migrate`` and ``seed_demo`` (which give every endpoint boards,
topics, posts and a queue to answer about). Prints nothing but errors.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402

from accounts.models import Role, TrustLevel, User  # noqa: E402
from accounts.services import record_signup_consents  # noqa: E402

PASSWORD = os.environ["CONTRACT_PASSWORD"]

for username, role in (("contract_member", Role.MEMBER), ("contract_guide", Role.MODERATOR)):
    email = f"{username}@example.org"
    user = User.objects.filter(username=username).first() or User.objects.create_user(
        username=username, email=email, password=PASSWORD
    )
    user.role, user.trust_level = role, TrustLevel.TRUSTED
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    record_signup_consents(actor=user)

# Real identifiers for the path parameters, so that most generated requests reach real rows (the rest are
# generated, for the 404s). Written as a schemathesis config to the file named on the command line.
from community.models import Board, Post, Topic  # noqa: E402
from moderation.models import QueueItem  # noqa: E402


def toml_list(values: list) -> str:
    return "[" + ", ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in values) + "]"


known = {
    "topic_id": list(Topic.objects.order_by("pk").values_list("pk", flat=True)[:40]),
    "post_id": list(Post.objects.order_by("pk").values_list("pk", flat=True)[:80]),
    "slug": list(Board.objects.values_list("slug", flat=True)),
    "item_id": list(QueueItem.objects.values_list("pk", flat=True)[:20]),
    "username": list(User.objects.filter(is_active=True).values_list("username", flat=True)[:20]),
}
lines = []
for name, values in known.items():
    if values:
        lines += [f"[dictionaries.{name}s]", f"values = {toml_list(values)}", ""]
lines.append("[parameters]")
lines += [
    f'"path.{name}" = {{ dictionary = "{name}s", probability = 0.8 }}' for name, values in known.items() if values
]
with open(sys.argv[1], "w") as config:
    config.write("\n".join(lines) + "\n")
