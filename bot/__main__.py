"""`python -m bot`: the same entry point as the `runbot` command."""

from __future__ import annotations

from bot.cli import console

console()
