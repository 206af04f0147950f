"""The OpenAPI schema says what the API really answers, endpoint by endpoint.

Every response shape is written twice: a dict builder (``post_data``, ``topic_row``, ``item_data``...) and
a schema class (``PostSchema``, ``QueueItemSchema``...). Here every operation of the generated schema is
driven for real through the test client, as the role that can use it, and each answer is validated against
what the schema documents for its path, method and status code:

- objects are closed: a key the schema does not declare fails (``additionalProperties: false`` is added
  wherever the schema does not declare additional properties itself);
- required keys must be there, and a key the schema calls optional must be seen both present and absent
  (always present means it should be required; never present means the case that sends it went untested);
- ``nullable`` is honoured, and the ``date-time``, ``date``, ``uri`` and ``email`` formats are checked;
- a status the schema does not document fails (errors included), and so does a body where it documents none;
- every 4xx answer is in the error shape ``{"detail", "code", "fields"}`` (plus the documented extras), and
  validated against the `Error` schema every operation documents (`config/schema.py`);
- an operation of the schema that was not answered both with success and, where it can fail, with an
  error, fails the test, so a new endpoint cannot slip past.

allauth's headless API (``/_allauth/``), ``/healthz`` and the digest unsubscribe page are not DRF views and
are not in this schema (allauth publishes its own at ``/_allauth/openapi.json``), so nothing is skipped here.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft4Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from rest_framework.test import APIClient

from accounts.models import Profile, TrustLevel
from community.models import Post, Topic
from tests.clients import as_user
from tests.factories import (
    DEFAULT_PASSWORD,
    BoardFactory,
    MemberFactory,
    ModeratorFactory,
    NewMemberFactory,
    make_post,
    make_topic,
)

METHODS = ("get", "post", "put", "patch", "delete")
MISSING_ID = 987_654_321

# Operations that no request can make fail (the value says why); every other one must be seen failing too.
NO_ERROR_ANSWER = {
    ("get", "/api/v1/boards/"): "lists the boards the viewer may see: no input, no login, nothing to refuse",
    ("get", "/api/v1/tags/"): "lists the fixed tag vocabulary: no input, no login, nothing to refuse",
}

# The one error shape of the API (config/api_errors.py), with the extras some refusals carry.
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "minLength": 1},
        "code": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        },
        "until": {"type": ["string", "null"], "format": "date-time"},  # silenced or suspended until
        "claimed_until": {"type": ["string", "null"], "format": "date-time"},  # claimed by another moderator
        "version": {"type": "integer"},  # the queue item's current version on a 409
        "retry_after": {"type": "integer"},  # seconds, on a 429
        "consents": {"type": "array", "items": {"type": "string"}},  # consent_withdrawn, consent_required
    },
    "required": ["detail", "code", "fields"],
    "additionalProperties": False,
}

# Crisis and warning-sign texts that screening answers with support resources (see moderation/screening.py).
CRISIS_BODY = "The injections stopped working and honestly some days I dont want to be alive anymore"
CRISIS_REPLY = "Honestly some nights I want to end it all."
CRISIS_TITLE = "I want to end it all"
WARNING_SIGN_BIO = "Living with HFS. Most days I feel like a burden."


# --- OpenAPI 3.0 to JSON Schema ----------------------------------------------------------------------

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or ("T" in value and datetime.fromisoformat(value).tzinfo is not None)


@FORMATS.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    return not isinstance(value, str) or (len(value) == 10 and bool(date.fromisoformat(value)))


@FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or (urlsplit(value).scheme in {"http", "https"} and bool(urlsplit(value).netloc))


@FORMATS.checks("email")
def _is_email(value: object) -> bool:
    return not isinstance(value, str) or re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value) is not None


def to_json_schema(node: Any) -> Any:
    """An OpenAPI 3.0 schema as JSON Schema (draft 4): ``nullable`` becomes a null type, objects are closed."""
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "nullable":
            continue
        if key == "properties":
            out[key] = {name: to_json_schema(sub) for name, sub in value.items()}
        elif key in {"items", "additionalProperties", "not", "allOf", "anyOf", "oneOf"}:
            out[key] = to_json_schema(value)
        else:
            out[key] = value
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def _route(template: str) -> re.Pattern[str]:
    return re.compile("[^/]+".join(re.escape(piece) for piece in re.split(r"\{[^}/]+\}", template)))


def _shorten(message: str) -> str:
    """jsonschema quotes the whole instance first: keep its start and the complaint at the end."""
    return message if len(message) <= 300 else f"{message[:160]} ... {message[-120:]}"


def _describe(error: ValidationError) -> str:
    where = "/".join(str(part) for part in error.absolute_path) or "<body>"
    causes = "; ".join(sorted({_shorten(sub.message) for sub in error.context or []}))
    return f"{where}: {_shorten(error.message)}" + (f" ({causes})" if causes else "")


class Contract:
    """The generated schema, and what the answers driven through it have shown so far."""

    def __init__(self, openapi: dict[str, Any]) -> None:
        self.openapi = openapi
        self.components = openapi["components"]["schemas"]
        self.json_components = {name: to_json_schema(schema) for name, schema in self.components.items()}
        self.routes = [(_route(path), path) for path in openapi["paths"]]
        self.answered: dict[tuple[str, str], set[int]] = defaultdict(set)
        self.optional_seen: dict[tuple[str, str], set[bool]] = defaultdict(set)
        self.problems: list[str] = []

    def operations(self) -> set[tuple[str, str]]:
        return {(method, path) for path, item in self.openapi["paths"].items() for method in METHODS if method in item}

    def template_for(self, path: str) -> str | None:
        matches = [template for route, template in self.routes if route.fullmatch(path)]
        # Literal segments win over parameters, as in URL resolution.
        return max(matches, key=lambda template: len(re.sub(r"\{[^}]+\}", "", template)), default=None)

    def errors(self, schema: dict[str, Any], instance: Any) -> list[str]:
        root = {"components": {"schemas": self.json_components}, "allOf": [to_json_schema(schema)]}
        validator = Draft4Validator(root, format_checker=FORMATS)
        return [_describe(error) for error in validator.iter_errors(instance)]

    def observe(self, schema: dict[str, Any], instance: Any, label: str) -> None:
        """Note, for each optional property the answer reached, whether it was present."""
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            self.observe(self.components[name], instance, name)
            return
        for sub in schema.get("allOf", []):
            self.observe(sub, instance, label)
        if isinstance(instance, dict) and "properties" in schema:
            required = set(schema.get("required", []))
            for name, sub in schema["properties"].items():
                if name not in required:
                    self.optional_seen[(label, name)].add(name in instance)
                if name in instance:
                    self.observe(sub, instance[name], f"{label}.{name}")
        elif isinstance(instance, list) and "items" in schema:
            for item in instance:
                self.observe(schema["items"], item, f"{label}[]")

    def check(self, method: str, url: str, response: Any) -> None:
        label = f"{method.upper()} {url} -> {response.status_code}"
        template = self.template_for(urlsplit(url).path)
        operation = self.openapi["paths"].get(template, {}).get(method) if template else None
        if template is None or operation is None:
            self.problems.append(f"{label}: no such operation in the schema")
            return
        status = response.status_code
        self.answered[(method, template)].add(status)
        body = None
        if response.content:
            if not response["Content-Type"].startswith("application/json"):
                self.problems.append(f"{label}: answered {response['Content-Type']}, not JSON")
                return
            body = response.json()
        if 400 <= status < 500:
            self.problems.extend(f"{label}: error shape: {error}" for error in self.errors(ERROR_SCHEMA, body))
        documented = operation["responses"].get(str(status))
        if documented is None:
            # Error answers too: a client generated from the schema must know every status it can get.
            self.problems.append(f"{label}: status not documented (the schema has {sorted(operation['responses'])})")
            return
        media = (documented.get("content") or {}).get("application/json")
        if media is None:
            if body is not None:
                self.problems.append(f"{label}: the schema documents no body, the answer has one: {str(body)[:200]}")
            return
        if body is None:
            self.problems.append(f"{label}: the schema documents a body, the answer has none")
            return
        self.problems.extend(f"{label}: {error}" for error in self.errors(media["schema"], body))
        if status < 400:
            self.observe(media["schema"], body, f"{method.upper()} {template}")

    def coverage_problems(self) -> list[str]:
        problems = []
        for method, path in sorted(self.operations(), key=lambda op: (op[1], op[0])):
            statuses = self.answered.get((method, path), set())
            if not any(status < 400 for status in statuses):
                problems.append(f"{method.upper()} {path}: never answered with success (statuses seen: {statuses})")
            if (method, path) not in NO_ERROR_ANSWER and not any(400 <= status < 500 for status in statuses):
                problems.append(f"{method.upper()} {path}: never answered with an error")
        for (where, name), seen in sorted(self.optional_seen.items()):
            if seen == {True}:
                problems.append(f"{where}.{name}: optional in the schema but in every answer: should it be required?")
            elif seen == {False}:
                problems.append(
                    f"{where}.{name}: optional in the schema and in no answer: drive the case that sends it"
                )
        return problems


@cache
def openapi_schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def new_contract() -> Contract:
    return Contract(json.loads(json.dumps(openapi_schema())))


# --- The validator bites -------------------------------------------------------------------------------------

POST: dict[str, Any] = {
    "id": 1,
    "topic": 1,
    "author": "river",
    "is_first": False,
    "body_html": "<p>Same here.</p>",
    "status": "published",
    "created_at": "2026-03-01T10:00:00.000000Z",
    "edited_at": None,
    "reactions": {"helpful": 0, "support": 1, "me_too": 0},
    "my_reactions": [],
    "medical_notice": False,
}
POST_REF = {"$ref": "#/components/schemas/PostSchema"}


def test_the_schema_converts_to_valid_json_schema() -> None:
    contract = new_contract()
    Draft4Validator.check_schema({"components": {"schemas": contract.json_components}, "allOf": [ERROR_SCHEMA]})
    assert contract.operations(), "the schema lists no operations"
    assert contract.errors(POST_REF, POST) == []
    assert contract.errors(POST_REF, {**POST, "notice": "Removed by a moderator."}) == []


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        pytest.param({**POST, "surprise": 1}, "Additional properties are not allowed", id="undeclared-key"),
        pytest.param({**POST, "reactions": {**POST["reactions"], "hug": 2}}, "Additional", id="undeclared-nested-key"),
        pytest.param({k: v for k, v in POST.items() if k != "author"}, "'author' is a required", id="missing-key"),
        pytest.param({**POST, "author": None}, "None is not of type 'string'", id="null-not-nullable"),
        pytest.param({**POST, "status": "gone"}, "'gone' is not one of", id="not-in-enum"),
        pytest.param({**POST, "created_at": "yesterday"}, "is not a 'date-time'", id="bad-date-time"),
        pytest.param({**POST, "created_at": "2026-03-01T10:00:00"}, "is not a 'date-time'", id="naive-date-time"),
        pytest.param([POST], "is not of type 'object'", id="bare-array"),
    ],
)
def test_the_validator_refuses_a_body_that_disagrees(body: Any, complaint: str) -> None:
    errors = new_contract().errors(POST_REF, body)
    assert any(complaint in error for error in errors), errors


@pytest.mark.parametrize(
    "body",
    [
        {"detail": "Not found."},
        {"detail": "Not found.", "code": "not_found", "fields": {"x": "not a list"}},
        {"detail": "Not found.", "code": "not_found", "fields": {}, "stack": "..."},
        {"detail": "", "code": "not_found", "fields": {}},
        ["Not found."],
    ],
)
def test_the_error_shape_refuses_other_shapes(body: Any) -> None:
    assert new_contract().errors(ERROR_SCHEMA, body)


@pytest.mark.parametrize(
    ("url", "template"),
    [
        ("/api/v1/boards/daily/topics/", "/api/v1/boards/{slug}/topics/"),
        ("/api/v1/posts/12/reactions/helpful/", "/api/v1/posts/{post_id}/reactions/{kind}/"),
        ("/api/v1/notifications/read/", "/api/v1/notifications/read/"),
        ("/api/v1/boards/daily/nowhere/", None),
    ],
)
def test_urls_map_to_their_schema_paths(url: str, template: str | None) -> None:
    assert new_contract().template_for(url) == template


# --- Every endpoint, for real ------------------------------------------------------------------------------


class Driver:
    """Requests through the test client; each answer is checked against the contract as it arrives."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract

    def call(
        self,
        client: APIClient,
        method: str,
        url: str,
        body: Any = None,
        *,
        expect: int,
        headers: dict[str, str] | None = None,
    ) -> Any:
        if body is None:
            response = client.generic(method.upper(), url, headers=headers)
        else:
            response = client.generic(
                method.upper(), url, json.dumps(body), content_type="application/json", headers=headers
            )
        if response.status_code != expect:
            answer = response.content[:300].decode(errors="replace")
            self.contract.problems.append(
                f"{method.upper()} {url}: answered {response.status_code}, not {expect}: {answer}"
            )
        self.contract.check(method, url, response)
        return response.json() if response.get("Content-Type", "").startswith("application/json") else None

    def follow(self, client: APIClient, link: str | None) -> Any:
        """Follow a page's ``next`` or ``previous`` link."""
        assert link, "expected a link to the next or previous page"
        parts = urlsplit(link)
        return self.call(client, "get", f"{parts.path}?{parts.query}", expect=200)


def poster() -> APIClient:
    """A member with no recent post: each create needs one (5 seconds between posts)."""
    return as_user(MemberFactory.create())


class World:
    """Boards, people and posts for every endpoint to have something to answer about."""

    def __init__(self) -> None:
        self.board = BoardFactory.create()
        self.author = MemberFactory.create()
        self.friend = MemberFactory.create()
        self.tipster = MemberFactory.create()
        self.moderator = ModeratorFactory.create()
        self.trusted = MemberFactory.create(trust_level=TrustLevel.TRUSTED)
        self.story = make_topic(board=self.board, author=self.author, title="Evenings are the worst", tags=["compress"])
        self.opening = Post.objects.get(topic=self.story, is_first=True)
        self.reply = make_post(topic=self.story, author=self.friend, body="Same here, thank you for sharing.")
        self.second_reply = make_post(topic=self.story, author=self.author, body="A warm compress helps me too.")
        self.tip = make_topic(
            board=self.board,
            author=self.tipster,
            title="Warm compress before bed",
            kind="tip",
            tags=["compress"],
        )
        newcomer = NewMemberFactory.create()
        self.waiting = make_topic(board=self.board, author=newcomer, title="First time posting here")
        Topic.objects.filter(pk=self.waiting.pk).update(created_at=timezone.now() - timedelta(days=2))
        Profile.objects.filter(user=self.friend).update(
            bio="Twitching since 2019.", bio_public=True, condition="blepharospasm", condition_public=True
        )
        self.visitor = APIClient()
        self.as_author = as_user(self.author)
        self.as_friend = as_user(self.friend)
        self.as_member = as_user(MemberFactory.create())
        self.as_moderator = as_user(self.moderator)


def drive_accounts(api: Driver, world: World) -> None:
    api.call(world.as_member, "get", "/api/v1/me/", expect=200)
    api.call(world.visitor, "get", "/api/v1/me/", expect=401)
    api.call(world.as_member, "patch", "/api/v1/me/", {"bio": "Hello, I live with HFS.", "digest_hour": 7}, expect=200)
    api.call(world.as_member, "patch", "/api/v1/me/", {"bio": WARNING_SIGN_BIO}, expect=200)
    api.call(world.as_member, "patch", "/api/v1/me/", {"digest_hour": 99}, expect=400)
    api.call(world.as_member, "patch", "/api/v1/me/", {"titel": "typo"}, expect=400)

    api.call(world.visitor, "get", f"/api/v1/users/{world.friend.username}/", expect=200)  # bio and condition shown
    api.call(world.visitor, "get", f"/api/v1/users/{world.author.username}/", expect=200)  # both kept private
    api.call(world.visitor, "get", "/api/v1/users/nobody_here/", expect=404)


def drive_boards(api: Driver, world: World) -> None:
    board = f"/api/v1/boards/{world.board.slug}"
    BoardFactory.create()  # a second board, so the list has more than one
    api.call(world.visitor, "get", "/api/v1/boards/", expect=200)
    api.call(world.visitor, "get", f"{board}/", expect=200)
    api.call(world.visitor, "get", "/api/v1/boards/nowhere/", expect=404)

    api.call(world.as_member, "put", f"{board}/follow/", expect=200)
    api.call(world.visitor, "put", f"{board}/follow/", expect=401)
    api.call(world.as_member, "delete", f"{board}/follow/", expect=200)
    api.call(world.as_member, "delete", "/api/v1/boards/nowhere/follow/", expect=404)

    first = api.call(world.visitor, "get", f"{board}/topics/?page_size=1", expect=200)
    second = api.follow(world.visitor, first["next"])
    api.follow(world.visitor, second["previous"])
    api.call(world.as_member, "get", f"{board}/topics/?kind=tip&sort=helpful", expect=200)
    api.call(world.visitor, "get", f"{board}/topics/?sort=sideways", expect=400)
    api.call(world.visitor, "get", f"{board}/topics/?cursor=not-a-cursor", expect=400)

    topic = {"title": "Sunglasses indoors?", "kind": "question", "tags": ["bright-light"], "body": "Do they help?"}
    key = {"Idempotency-Key": "schema-agreement-1"}
    author = poster()
    api.call(author, "post", f"{board}/topics/", topic, expect=201, headers=key)
    api.call(author, "post", f"{board}/topics/", topic, expect=201, headers=key)  # replayed
    api.call(author, "post", f"{board}/topics/", {**topic, "title": "Another one"}, expect=422, headers=key)
    tip = {"title": "Cold spoon on the eyelid", "kind": "tip", "tags": ["compress"], "body": "Two minutes."}
    api.call(poster(), "post", f"{board}/topics/", tip, expect=201)
    api.call(
        poster(),
        "post",
        f"{board}/topics/",
        {"title": "A hard few weeks", "kind": "experience", "body": CRISIS_BODY},
        expect=201,
    )
    api.call(poster(), "post", f"{board}/topics/", {"title": "No body", "kind": "question"}, expect=400)
    api.call(world.visitor, "post", f"{board}/topics/", topic, expect=401)


def drive_topics(api: Driver, world: World) -> None:
    story, tip = f"/api/v1/topics/{world.story.pk}", f"/api/v1/topics/{world.tip.pk}"
    missing = f"/api/v1/topics/{MISSING_ID}"
    api.call(world.visitor, "get", f"{story}/", expect=200)
    api.call(world.visitor, "get", f"{tip}/", expect=200)
    api.call(world.visitor, "get", f"{missing}/", expect=404)

    api.call(world.as_author, "patch", f"{story}/", {"title": "Evenings are the hardest"}, expect=200)
    api.call(as_user(world.tipster), "patch", f"{tip}/", {"tags": ["compress", "sleep-routine"]}, expect=200)
    api.call(world.as_member, "patch", f"{story}/", {"title": "Not my topic at all"}, expect=403)
    crisis_author = MemberFactory.create()
    crisis = make_topic(board=world.board, author=crisis_author, title="Week three after botox")
    api.call(as_user(crisis_author), "patch", f"/api/v1/topics/{crisis.pk}/", {"title": CRISIS_TITLE}, expect=200)

    for toggle in ("follow", "bookmark"):
        api.call(world.as_member, "put", f"{story}/{toggle}/", expect=200)
        api.call(world.as_member, "put", f"{missing}/{toggle}/", expect=404)
        api.call(world.as_member, "delete", f"{story}/{toggle}/", expect=200)
        api.call(world.visitor, "delete", f"{story}/{toggle}/", expect=401)

    first = api.call(world.visitor, "get", f"{story}/posts/?page_size=1", expect=200)
    api.follow(world.visitor, first["next"])
    api.call(world.as_member, "get", f"{story}/posts/", expect=200)
    api.call(world.visitor, "get", f"{missing}/posts/", expect=404)

    api.call(poster(), "post", f"{story}/posts/", {"body": "Thinking of you."}, expect=201)
    api.call(poster(), "post", f"{story}/posts/", {"body": CRISIS_REPLY}, expect=201)
    api.call(poster(), "post", f"{story}/posts/", {"body": ""}, expect=400)
    quick = poster()
    api.call(quick, "post", f"{story}/posts/", {"body": "First thought."}, expect=201)
    api.call(quick, "post", f"{story}/posts/", {"body": "Second thought, too soon."}, expect=429)

    api.call(world.as_member, "put", f"{tip}/outcome/", {"helped": True}, expect=200)
    api.call(world.as_member, "put", f"{story}/outcome/", {"helped": True}, expect=400)
    api.call(world.as_member, "delete", f"{tip}/outcome/", expect=200)
    api.call(world.as_member, "delete", f"{missing}/outcome/", expect=404)

    api.call(world.visitor, "get", "/api/v1/tips/", expect=200)
    api.call(world.as_member, "get", f"/api/v1/tips/?tag=compress&board={world.board.slug}", expect=200)
    api.call(world.visitor, "get", "/api/v1/tips/?tag=unicorns", expect=400)

    # The story and the tip both mention a compress: one result without outcomes, one with.
    api.call(world.visitor, "get", "/api/v1/search/?q=compress&page_size=1", expect=200)
    api.call(world.as_member, "get", "/api/v1/search/?q=compress&sort=newest&kind=tip", expect=200)
    api.call(world.visitor, "get", "/api/v1/search/?q=compress", expect=200)
    api.call(world.visitor, "get", "/api/v1/search/?q=-", expect=400)
    api.call(world.visitor, "get", "/api/v1/tags/", expect=200)


def drive_posts(api: Driver, world: World) -> None:
    post = f"/api/v1/posts/{world.reply.pk}"
    missing = f"/api/v1/posts/{MISSING_ID}"
    api.call(world.visitor, "get", f"{post}/", expect=200)
    api.call(world.visitor, "get", f"{missing}/", expect=404)

    api.call(world.as_friend, "patch", f"{post}/", {"body": "Same here, thank you so much for sharing."}, expect=200)
    api.call(world.as_member, "patch", f"{post}/", {"body": "Someone else's words."}, expect=403)
    api.call(world.as_moderator, "get", f"{post}/revisions/", expect=200)
    api.call(world.as_member, "get", f"{post}/revisions/", expect=403)

    for kind in ("helpful", "support"):
        api.call(world.as_member, "put", f"{post}/reactions/{kind}/", expect=200)
    api.call(world.as_member, "get", f"/api/v1/topics/{world.story.pk}/posts/", expect=200)  # my_reactions filled
    api.call(world.as_member, "put", f"{post}/reactions/hug/", expect=400)
    api.call(world.as_member, "delete", f"{post}/reactions/support/", expect=200)
    api.call(world.as_member, "delete", f"{missing}/reactions/support/", expect=404)

    withdrawn = f"/api/v1/posts/{world.second_reply.pk}/"
    api.call(world.as_member, "delete", withdrawn, expect=403)
    api.call(world.as_author, "delete", withdrawn, expect=204)
    api.call(world.visitor, "get", withdrawn, expect=200)  # a placeholder with its notice

    api.call(world.as_author, "get", "/api/v1/notifications/?page_size=1", expect=200)  # replies to their topic
    api.call(world.visitor, "get", "/api/v1/notifications/", expect=401)
    api.call(world.as_author, "post", "/api/v1/notifications/read/", {}, expect=200)
    api.call(world.as_author, "post", "/api/v1/notifications/read/", {"ids": ["first"]}, expect=400)


def drive_moderation(api: Driver, world: World) -> None:
    reply = world.reply
    api.call(world.as_member, "post", f"/api/v1/posts/{reply.pk}/flags/", {"reason": "harassment"}, expect=201)
    api.call(world.as_member, "post", f"/api/v1/posts/{reply.pk}/flags/", {"reason": "harassment"}, expect=409)
    api.call(world.as_member, "post", f"/api/v1/posts/{MISSING_ID}/flags/", {"reason": "off_topic"}, expect=404)

    queue = api.call(world.as_moderator, "get", "/api/v1/moderation/queue/", expect=200)
    api.call(world.as_moderator, "get", "/api/v1/moderation/queue/?priority=urgent&page_size=1", expect=200)
    api.call(world.as_member, "get", "/api/v1/moderation/queue/", expect=403)
    item_id = next(item["id"] for item in queue["results"] if item["post"]["id"] == reply.pk)
    item = f"/api/v1/moderation/queue/{item_id}"
    api.call(world.as_moderator, "get", f"{item}/", expect=200)
    api.call(world.as_moderator, "get", f"/api/v1/moderation/queue/{MISSING_ID}/", expect=404)

    claimed = api.call(world.as_moderator, "post", f"{item}/claim/", {}, expect=200)
    api.call(as_user(ModeratorFactory.create()), "post", f"{item}/claim/", {}, expect=409)  # claimed_until
    api.call(world.as_moderator, "post", f"/api/v1/moderation/queue/{MISSING_ID}/claim/", {}, expect=404)
    stale = {"decision": "dismiss", "version": claimed["version"] + 7}
    api.call(world.as_moderator, "post", f"{item}/decide/", stale, expect=409)  # carries the current version
    removal = {"decision": "remove", "version": claimed["version"], "reason": "harassment", "guideline": "G1"}
    api.call(world.as_moderator, "post", f"{item}/decide/", removal, expect=200)
    api.call(world.visitor, "get", f"/api/v1/topics/{world.story.pk}/posts/", expect=200)  # removed: a placeholder
    redacted = {"body": "Same here, thank you for sharing. [contact details removed]"}
    api.call(world.as_moderator, "patch", f"/api/v1/posts/{reply.pk}/", redacted, expect=200)  # still removed: notice

    appeal = {"post": reply.pk, "statement": "I was agreeing with them."}
    api.call(world.as_friend, "post", "/api/v1/appeals/", appeal, expect=201)
    api.call(world.as_friend, "post", "/api/v1/appeals/", appeal, expect=409)
    api.call(world.as_member, "post", "/api/v1/appeals/", appeal, expect=404)
    api.call(world.as_moderator, "get", "/api/v1/moderation/queue/?kind=appeal", expect=200)

    sanctions = f"/api/v1/moderation/users/{world.friend.username}/sanctions/"
    sanction = api.call(world.as_moderator, "post", sanctions, {"kind": "silence", "reason": "Heated"}, expect=201)
    api.call(
        world.as_moderator,
        "post",
        "/api/v1/moderation/users/nobody_here/sanctions/",
        {"kind": "warn", "reason": "x"},
        expect=404,
    )
    silenced = api.call(world.as_friend, "put", f"/api/v1/posts/{world.opening.pk}/reactions/support/", expect=403)
    assert silenced["code"] == "member_silenced", silenced  # the error shape's "until" extra, checked above
    assert silenced["until"], silenced
    api.call(
        world.as_moderator, "post", f"/api/v1/moderation/sanctions/{sanction['id']}/lift/", {"note": "Ok."}, expect=200
    )
    api.call(world.as_moderator, "post", f"/api/v1/moderation/sanctions/{MISSING_ID}/lift/", {}, expect=404)

    api.call(world.as_moderator, "get", "/api/v1/moderation/audit/?page_size=2", expect=200)
    api.call(world.as_moderator, "get", f"/api/v1/moderation/audit/?post={reply.pk}", expect=200)
    api.call(world.as_moderator, "get", "/api/v1/moderation/audit/?post=abc", expect=400)
    api.call(world.as_moderator, "get", "/api/v1/moderation/stats/", expect=200)
    api.call(world.as_member, "get", "/api/v1/moderation/stats/", expect=403)

    api.call(as_user(world.trusted), "get", "/api/v1/welcome/", expect=200)
    api.call(world.as_member, "get", "/api/v1/welcome/", expect=403)


def drive_data_rights(api: Driver, world: World) -> None:
    leaving = MemberFactory.create()
    make_post(topic=world.story, author=leaving, body="My last words here.")
    as_leaving = as_user(leaving)
    api.call(as_leaving, "get", "/api/v1/me/export/", expect=200)
    api.call(as_leaving, "get", "/api/v1/me/export/", expect=429)
    api.call(world.visitor, "get", "/api/v1/me/export/", expect=401)

    api.call(as_leaving, "delete", "/api/v1/me/consents/health_data/", expect=200)
    withdrawn = api.call(as_leaving, "post", f"/api/v1/topics/{world.story.pk}/posts/", {"body": "Hi"}, expect=403)
    assert withdrawn["code"] == "consent_withdrawn", withdrawn
    api.call(as_leaving, "put", "/api/v1/me/consents/health_data/", expect=200)
    api.call(as_leaving, "put", "/api/v1/me/consents/horoscope/", expect=404)
    api.call(as_leaving, "delete", "/api/v1/me/consents/horoscope/", expect=404)

    api.call(as_leaving, "delete", "/api/v1/me/", {"password": "not-my-password", "content": "remove"}, expect=400)
    api.call(as_leaving, "delete", "/api/v1/me/", {"password": DEFAULT_PASSWORD, "content": "keep"}, expect=204)
    api.call(as_leaving, "get", "/api/v1/me/", expect=401)  # every session ended

    young = NewMemberFactory.create()
    post = make_post(topic=world.story, author=young, body="I'm in year 8 and my eye twitches.")
    api.call(world.as_member, "post", f"/api/v1/posts/{post.pk}/flags/", {"reason": "under_age"}, expect=201)
    queue = api.call(world.as_moderator, "get", "/api/v1/moderation/queue/?page_size=100", expect=200)
    item = next(i for i in queue["results"] if i["post"]["id"] == post.pk)
    erase = f"/api/v1/moderation/queue/{item['id']}/erase-member/"
    api.call(world.as_member, "post", erase, {"version": item["version"]}, expect=403)
    api.call(world.as_moderator, "post", erase, {"version": item["version"]}, expect=200)
    api.call(world.as_moderator, "post", erase, {"version": item["version"]}, expect=409)


@pytest.mark.django_db
def test_every_endpoint_answers_what_the_schema_says() -> None:
    contract = new_contract()
    api = Driver(contract)
    world = World()

    drive_accounts(api, world)
    drive_boards(api, world)
    drive_topics(api, world)
    drive_posts(api, world)
    drive_moderation(api, world)
    drive_data_rights(api, world)

    assert Post.objects.filter(pk=world.reply.pk, status="removed").exists()
    problems = contract.problems + contract.coverage_problems()
    assert not problems, f"{len(problems)} disagreements with the schema:\n" + "\n".join(problems)
