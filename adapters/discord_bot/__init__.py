"""runbot on Discord: slash commands, embeds and buttons over the answering core.

Run it with `runbot discord`; register the slash commands with `runbot discord --sync`.
"""

__all__ = ["PLATFORM"]

PLATFORM = "discord"  # how runbot names this platform: metrics, logs, the question log
