"""Run the `runbot` command with discord.py pointed at a local stand-in, for tests of the
whole process (signals): `python -m tests.discord.launch discord`.

RUNBOT_TEST_DISCORD_API and RUNBOT_TEST_DISCORD_GATEWAY name the stand-in; nothing else of
runbot is changed.
"""

from __future__ import annotations

import os
import sys
import warnings

import yarl

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "'audioop' is deprecated", DeprecationWarning)
    import discord

from adapters.cli import main

if __name__ == "__main__":
    discord.http.Route.BASE = os.environ["RUNBOT_TEST_DISCORD_API"]
    gateway = yarl.URL(os.environ["RUNBOT_TEST_DISCORD_GATEWAY"])
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway
    sys.exit(main(sys.argv[1:]))
