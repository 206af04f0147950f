"""What an audit entry names when it is about a post or a topic: plain ids, as the log stores them."""

from __future__ import annotations

from typing import Any

from community.models import Post, Topic


def post_audit_ids(post: Post) -> dict[str, Any]:
    """The post, its topic and board, and its author (whose content it is)."""
    return {
        "post_id": post.pk,
        "topic_id": post.topic_id,
        "board_id": post.topic.board_id,
        "target_user_id": post.author_id,
    }


def topic_audit_ids(topic: Topic) -> dict[str, Any]:
    return {"topic_id": topic.pk, "board_id": topic.board_id, "target_user_id": topic.author_id}


def post_snapshot(post: Post) -> dict[str, Any]:
    """The state a moderation decision changes, for the entry's before/after."""
    return {"status": post.status, "gone_reason": post.gone_reason, "medical_notice": post.medical_notice}
