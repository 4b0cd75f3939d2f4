"""runbot on Telegram: private chats, groups, inline mode and moderator commands.

`app.serve(service, settings)` runs it (long polling, or a webhook when one is configured);
`app.build_application` wires the handlers; `render` turns a Reply into HTML messages.
"""

__all__ = ["PLATFORM"]

PLATFORM = "telegram"  # how runbot names this platform: metrics, logs, the question log
