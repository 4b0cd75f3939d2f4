"""Webhook posts: the secret is checked before the body is read, and bodies are capped."""

from __future__ import annotations

import asyncio

from tests.telegram.helpers import (
    HOOK_PATH,
    SECRET,
    StartBot,
    TelegramSession,
    free_port,
    post_update,
    wait_until_listening,
)

NINETY_MB = 90 * 1024 * 1024


async def webhook_bot(start_bot: StartBot) -> tuple[TelegramSession, int]:
    port = free_port()
    bot = await start_bot(
        telegram_webhook_url=f"https://runbot.example.org/{HOOK_PATH}",
        telegram_webhook_listen="127.0.0.1",
        telegram_webhook_port=port,
        telegram_webhook_secret=SECRET,
    )
    await wait_until_listening(port)
    return bot, port


async def status_before_the_body(port: int, headers: dict[str, str]) -> str:
    """Send only a POST's headers (the body never comes); the status line runbot answers."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        lines = [f"POST /{HOOK_PATH} HTTP/1.1", "Host: runbot.example.org"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await writer.drain()
        async with asyncio.timeout(3):  # today's server waits for all 90 MB first
            status = await reader.readline()
        return status.decode().strip()
    finally:
        writer.close()


async def test_a_post_without_the_secret_is_refused_before_its_body_is_read(
    start_bot: StartBot,
) -> None:
    bot, port = await webhook_bot(start_bot)
    headers = {"Content-Type": "application/json", "Content-Length": str(NINETY_MB)}

    assert await status_before_the_body(port, headers) == "HTTP/1.1 403 Forbidden"
    wrong = {**headers, "X-Telegram-Bot-Api-Secret-Token": "guess"}
    assert await status_before_the_body(port, wrong) == "HTTP/1.1 403 Forbidden"
    assert bot.service.stats().questions == 0


async def test_a_body_too_big_for_an_update_is_refused_even_with_the_secret(
    start_bot: StartBot,
) -> None:
    bot, port = await webhook_bot(start_bot)
    headers = {
        "Content-Type": "application/json",
        "Content-Length": str(NINETY_MB),
        "X-Telegram-Bot-Api-Secret-Token": SECRET,
    }

    assert await status_before_the_body(port, headers) == "HTTP/1.1 413 Request Entity Too Large"
    assert await post_update(port, SECRET) == 200  # and real updates still come in
    [sent] = await bot.api.wait_for("sendMessage")
    assert sent["text"].startswith("<b>Easing a side stitch</b>")


async def test_a_chunked_body_is_cut_off_at_the_cap(start_bot: StartBot) -> None:
    _, port = await webhook_bot(start_bot)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            (
                f"POST /{HOOK_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\nTransfer-Encoding: chunked\r\n\r\n"
            ).encode()
        )
        chunk = b"x" * 65536
        for _ in range(40):  # 2.5 MB, more than any update
            writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            await writer.drain()
        async with asyncio.timeout(3):
            status = (await reader.readline()).decode().strip()
    finally:
        writer.close()

    assert status == "HTTP/1.1 400 Bad Request"
