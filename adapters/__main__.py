"""`python -m adapters`: the same entry point as the `runbot` command."""

from __future__ import annotations

from adapters.cli import console

console()
