"""The platforms runbot serves, listed here and nowhere else.

Each implements `Platform`; `runbot run` starts every one whose token is configured (the
console chat when none is), and `runbot NAME` starts one. A platform's package is imported
only when it starts: `runbot ask` must start fast.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from adapters.discord_bot import PLATFORM as DISCORD
from adapters.telegram_bot import PLATFORM as TELEGRAM
from bot.usage import UsageError

if TYPE_CHECKING:
    import asyncio

    from pydantic import SecretStr

    from bot.service import RunbotService
    from bot.settings import Settings

__all__ = ["PLATFORMS", "Platform", "PlatformError", "configured", "plainly"]

T = TypeVar("T")


class PlatformError(Exception):
    """A platform could not be served (unreachable, token refused...); said without a trace."""


class Platform(Protocol):
    @property
    def name(self) -> str:
        """`runbot NAME`, the metrics label, Question.platform."""
        ...

    @property
    def title(self) -> str:
        """The name as people read it."""
        ...

    @property
    def token_setting(self) -> str:
        """The environment variable that turns it on."""
        ...

    @property
    def libraries(self) -> tuple[str, ...]:
        """Its libraries' loggers: at DEBUG they print runners' messages and ids."""
        ...

    def token(self, settings: Settings) -> SecretStr | None: ...

    def start(
        self, service: RunbotService, settings: Settings, stop: asyncio.Event
    ) -> Coroutine[Any, Any, None]:
        """Connect and answer until `stop` is set; then finish the work in hand and
        disconnect (within RUNBOT_STOP_SECONDS)."""
        ...

    def add_options(self, command: argparse.ArgumentParser) -> None:
        """The options of `runbot NAME`."""
        ...

    def run_once(self, options: argparse.Namespace, settings: Settings) -> int | None:
        """What an option of `runbot NAME` does instead of serving; None to serve."""
        ...


class Telegram:
    name = TELEGRAM
    title = "Telegram"
    token_setting = "TELEGRAM_BOT_TOKEN"
    libraries = ("telegram", "httpcore")

    def token(self, settings: Settings) -> SecretStr | None:
        return settings.telegram_bot_token

    def start(
        self, service: RunbotService, settings: Settings, stop: asyncio.Event
    ) -> Coroutine[Any, Any, None]:
        from adapters.telegram_bot.app import serve

        return serve(service, settings, stop)

    def add_options(self, command: argparse.ArgumentParser) -> None:
        pass

    def run_once(self, options: argparse.Namespace, settings: Settings) -> int | None:
        return None


class Discord:
    name = DISCORD
    title = "Discord"
    token_setting = "DISCORD_BOT_TOKEN"
    libraries = ("discord", "aiohttp")

    def token(self, settings: Settings) -> SecretStr | None:
        return settings.discord_bot_token

    def start(
        self, service: RunbotService, settings: Settings, stop: asyncio.Event
    ) -> Coroutine[Any, Any, None]:
        from adapters.discord_bot.app import serve

        return serve(service, settings, stop)

    def add_options(self, command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--sync",
            action="store_true",
            help="register the slash commands (to DISCORD_GUILD_ID if set, else globally) and exit",
        )

    def run_once(self, options: argparse.Namespace, settings: Settings) -> int | None:
        if not options.sync:
            return None
        import asyncio

        from adapters.discord_bot.app import sync_commands

        try:
            count = asyncio.run(plainly(sync_commands(settings), settings))
        except PlatformError as error:
            raise UsageError(
                f"discord --sync could not register the commands ({error}); "
                "check DISCORD_BOT_TOKEN and the network"
            ) from None
        where = f"server {settings.discord_guild_id}" if settings.discord_guild_id else "globally"
        print(f"Synced {count} commands {where}.")
        return 0


# In the order they start.
PLATFORMS: tuple[Platform, ...] = (Telegram(), Discord())


def configured(settings: Settings) -> list[Platform]:
    """The platforms with a token configured, in the order they start."""
    return [platform for platform in PLATFORMS if platform.token(settings) is not None]


async def plainly(job: Coroutine[Any, Any, T], settings: Settings) -> T:
    """Await a platform job; any failure becomes a PlatformError: one line, tokens redacted."""
    import asyncio

    try:
        return await job
    except (asyncio.CancelledError, KeyboardInterrupt):
        raise
    except Exception as error:
        logging.getLogger(__name__).debug("talking to the platform failed", exc_info=True)
        message = f"{type(error).__name__}: {error}"
        for platform in PLATFORMS:
            secret = platform.token(settings)
            if secret is not None and secret.get_secret_value():
                message = message.replace(secret.get_secret_value(), "[token]")
        raise PlatformError(message) from None
