"""The embedded default: everything from base, nothing that needs a service."""

from .base import *  # noqa: F403
