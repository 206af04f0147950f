from django.db import models


class Board(models.Model):
    """A topic board. Members-only boards (``is_public=False``) are invisible to visitors."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(max_length=1000, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_public = models.BooleanField(default=True)
    is_archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name
