"""The bot token never appears in a log line."""

from __future__ import annotations

import logging

import pytest

from adapters.telegram_bot.logs import REDACTED, token_kept_out_of_logs
from tests.telegram.helpers import TOKEN, StartBot
from tests.telegram.updates import private


def test_the_token_is_redacted_from_messages_arguments_and_tracebacks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    log = logging.getLogger("tests.telegram.some_library")
    url = f"https://api.telegram.org/bot{TOKEN}/getMe"
    with token_kept_out_of_logs(TOKEN):
        log.warning(f"calling {url}")
        log.warning("HTTP Request: POST %s %r", url, "HTTP/1.1 200 OK")
        try:
            raise ConnectionError(f"cannot reach {url}")
        except ConnectionError:
            log.exception("request failed")

    assert TOKEN not in caplog.text
    assert caplog.text.count(f"bot{REDACTED}/getMe") == 3
    assert "ConnectionError: cannot reach" in caplog.text


def test_records_logged_after_the_block_are_left_alone(caplog: pytest.LogCaptureFixture) -> None:
    with token_kept_out_of_logs(TOKEN):
        pass
    logging.getLogger("tests.telegram").warning("token %s", TOKEN)

    assert TOKEN in caplog.text  # the filter is removed when serving stops


async def test_no_log_line_of_a_whole_session_contains_the_token(
    start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    bot = await start_bot()
    # An operator turning httpx up to INFO again: request URLs (with the token) get logged.
    caplog.set_level(logging.INFO, logger="httpx")

    await bot.ask(private("how do I stretch out a cramp?"))

    assert "runbot is on Telegram as @runbot_test_bot" in caplog.text
    assert f"/bot{REDACTED}/sendMessage" in caplog.text  # httpx logged, redacted
    assert TOKEN not in caplog.text
    assert all(TOKEN not in record.getMessage() for record in caplog.records)


async def test_httpx_is_quiet_while_serving(start_bot: StartBot) -> None:
    await start_bot()

    assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
