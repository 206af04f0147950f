"""A client generated from the published schema (openapi-python-client), used against the live server.

    python .ci/typed_client.py BASE_URL GENERATED_DIR SESSION_TOKEN

``.ci/contract`` generates the package ``support_circle_client`` into GENERATED_DIR from the
server's own ``/api/schema/``, then runs this as a member: list the boards, page through a board
with its cursors, post a topic and read it back. Every answer is a typed model, not a dict:
a schema that said a paged list was an array, or hid a field, breaks here.
"""

from __future__ import annotations

import sys
from urllib.parse import parse_qs, urlsplit

base_url, generated, token = sys.argv[1:4]
sys.path.insert(0, generated)

from support_circle_client import AuthenticatedClient  # noqa: E402
from support_circle_client.api.v1 import (  # noqa: E402
    v1_boards_list,
    v1_boards_topics_create,
    v1_boards_topics_list,
    v1_topics_retrieve,
)
from support_circle_client.models import (  # noqa: E402
    CreatedTopicSchema,
    PaginatedBoardList,
    PaginatedTopicList,
    TopicCreateInputRequest,
    TopicKindEnum,
    TopicSchema,
)

client = AuthenticatedClient(base_url=base_url, token=token, prefix="", auth_header_name="X-Session-Token")

boards = v1_boards_list.sync(client=client)
assert isinstance(boards, PaginatedBoardList), boards
assert boards.results, "no boards"


def first_page(slug: str) -> PaginatedTopicList:
    page = v1_boards_topics_list.sync(slug, client=client, page_size=2)
    assert isinstance(page, PaginatedTopicList), page
    return page


# A board with more than one page of two topics.
board, page = next((b, p) for b in boards.results if (p := first_page(b.slug)).next_ is not None)
seen = [topic.id for topic in page.results]
pages = 1
while page.next_ is not None:
    cursor = parse_qs(urlsplit(page.next_).query)["cursor"][0]
    following = v1_boards_topics_list.sync(board.slug, client=client, page_size=2, cursor=cursor)
    assert isinstance(following, PaginatedTopicList), following
    page, pages = following, pages + 1
    seen += [topic.id for topic in page.results]
assert len(seen) == len(set(seen)), "a topic came twice while paging"

body = TopicCreateInputRequest(
    title="Typed client checking in",
    kind=TopicKindEnum.QUESTION,
    body="Does a cold spoon help anyone else in the mornings?",
)
created = v1_boards_topics_create.sync(board.slug, client=client, body=body, idempotency_key="typed-client-1")
assert isinstance(created, CreatedTopicSchema), created
again = v1_topics_retrieve.sync(str(created.id), client=client)
assert isinstance(again, TopicSchema), again
assert (again.title, again.board) == ("Typed client checking in", board.slug), again

print(
    f"typed client: {len(boards.results)} boards; {len(seen)} topics of {board.slug!r} in {pages} pages of 2; "
    f"posted topic {created.id} and read it back"
)
