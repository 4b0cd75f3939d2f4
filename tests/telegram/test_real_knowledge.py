"""The real knowledge base, as runbot shows it on Telegram: every piece parses and fits."""

from __future__ import annotations

import pytest
from telegram import InputTextMessageContent

from adapters.telegram_bot.inline import inline_results
from adapters.telegram_bot.render import render_reply
from adapters.telegram_bot.views import source_view, start_view, topics_view
from bot.service import RunbotService
from bot.settings import PROJECT_ROOT
from tests.helpers import utf16_units
from tests.telegram.standin import html_problem


@pytest.fixture(scope="module")
def service() -> RunbotService:
    return RunbotService(PROJECT_ROOT / "knowledge")


def test_every_entry_renders_as_one_valid_message(service: RunbotService) -> None:
    for entry_id in service.brain.knowledge.entries:
        reply = service.entry_reply(entry_id)
        assert reply is not None
        [message] = render_reply(reply).messages
        assert html_problem(message) is None, entry_id
        assert utf16_units(message) <= 4096


def test_every_inline_result_is_valid_html(service: RunbotService) -> None:
    results = inline_results(service, "")
    assert 0 < len(results) <= 50
    for result in results:
        content = result.input_message_content
        assert isinstance(content, InputTextMessageContent)
        assert html_problem(content.message_text) is None, result.id


def test_greeting_topics_and_sources_are_valid_html(service: RunbotService) -> None:
    views = [
        start_view(service.topics(), service.sources().main, keeps_questions=True, days=30),
        topics_view(service.topics()),
        source_view(service.sources()),
    ]
    for view in views:
        for message in view.messages:
            assert html_problem(message) is None


@pytest.mark.parametrize(
    "question",
    ["how do I stop a calf cramp?", "side stitch", "chest pain", "cramp", "<b>&</script>"],
)
def test_replies_to_typical_questions_are_valid_html(service: RunbotService, question: str) -> None:
    for message in render_reply(service.preview(question)).messages:
        assert html_problem(message) is None
