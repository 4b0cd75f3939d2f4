"""The error for something the operator must fix before runbot can do its job."""

from __future__ import annotations

__all__ = ["UsageError"]


class UsageError(Exception):
    """A setting, file or argument is wrong. `runbot` prints it as is (one line per problem,
    no traceback) and exits with status 2."""
