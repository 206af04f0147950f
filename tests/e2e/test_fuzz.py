"""Hostile input to every endpoint in the OpenAPI schema never produces a 500.

Endpoints come from the generated schema, so a new endpoint is fuzzed the
day it is added. Bodies mix well-formed JSON of the wrong types, the
operation's own field names with random values, and raw garbage bytes.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import MemberFactory, ModeratorFactory

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


def operations() -> list[tuple[str, str, list[str]]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    ops = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            fields: list[str] = []
            content = (operation.get("requestBody") or {}).get("content", {})
            ref = (content.get("application/json") or {}).get("schema", {}).get("$ref", "")
            component = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {}) if ref else {}
            fields = list(component.get("properties", {}))
            ops.append((path, method, fields))
    return ops


OPERATIONS = operations()

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False),
    st.text(max_size=300),
    st.sampled_from(["", " ", "\x00", "\u202e", "a" * 25_000, "<script>alert(1)</script>", "'; DROP TABLE x;--"]),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
path_values = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="/?#%"), min_size=1, max_size=40),
)


def body_for(fields: list[str]) -> st.SearchStrategy[bytes]:
    as_fields = st.fixed_dictionaries({}, optional=dict.fromkeys(fields, json_values)) if fields else st.just({})
    return st.one_of(
        as_fields.map(lambda value: json.dumps(value).encode()),
        json_values.map(lambda value: json.dumps(value).encode()),
        st.binary(max_size=200),
    )


def clients() -> dict[str, Client]:
    member = Client()
    member.force_login(MemberFactory.create())
    moderator = Client()
    moderator.force_login(ModeratorFactory.create())
    return {"visitor": Client(), "member": member, "moderator": moderator}


@pytest.mark.parametrize(("path", "method", "fields"), OPERATIONS, ids=[f"{m.upper()} {p}" for p, m, _ in OPERATIONS])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_endpoint_answers_500_to_hostile_input(path: str, method: str, fields: list[str], data: Any) -> None:
    who = data.draw(st.sampled_from(["visitor", "member", "moderator"]))
    client = clients()[who]
    url = re.sub(r"\{[^}]+\}", lambda _: data.draw(path_values), path)
    body = data.draw(body_for(fields))
    content_type = data.draw(st.sampled_from(["application/json", "application/json", "text/plain"]))
    response = client.generic(method.upper(), url, data=body, content_type=content_type)
    assert response.status_code < 500, (who, method, url, body[:200], response.content[:300])
    if response.status_code >= 400 and response["Content-Type"].startswith("application/json"):
        assert {"detail", "code", "fields"} <= set(response.json())
