"""/gaps teach buttons: a moderator teaches a gap's question to an entry, and can undo it."""

from __future__ import annotations

from pathlib import Path

from bot.reply import Question, Status
from tests.telegram.helpers import StartBot, TelegramSession
from tests.telegram.standin import ApiCall
from tests.telegram.updates import button_press, private

MODERATOR = 42  # the sender of the private_message fixture
RUNNER = 77
GAP = "cramp in my foot at mile ten"


async def gap_report(bot: TelegramSession) -> ApiCall:
    bot.service.answer(Question(GAP, "telegram", "101"))
    bot.service.answer(Question(GAP, "telegram", "102"))
    return await bot.ask(private("/gaps"))


def button(sent: ApiCall, label_start: str) -> str:
    (data,) = [
        data for row in sent.keyboard for label, data in row if label.startswith(label_start)
    ]
    return str(data)


async def test_a_moderator_teaches_a_gap_to_its_nearest_entry_and_undoes_it(
    start_bot: StartBot, editable_knowledge: Path
) -> None:
    bot = await start_bot(editable_knowledge, telegram_moderator_ids=[MODERATOR])
    easing = editable_knowledge / "entries" / "easing.yaml"
    before = easing.read_bytes()
    report = await gap_report(bot)
    assert [label for label, _ in report.keyboard[0]] == [
        "1. Teach to stretch-a-cramp",
        "1. Choose entry",
    ]

    taught = await bot.ask(button_press(button(report, "1. Teach to"), report.fields))

    assert taught["text"].splitlines()[0] == (
        f'Taught "{GAP}" to stretch-a-cramp (entries/easing.yaml:8).'
    )
    assert "Knowledge reloaded: 3 entries" in taught["text"]
    assert easing.read_text(encoding="utf-8").splitlines()[7] == f"      - {GAP}"
    reply = bot.service.answer(Question(GAP, "telegram", "103"))
    assert (reply.status, reply.entry_id) == (Status.ANSWERED, "stretch-a-cramp")
    [[(undo_label, undo)]] = taught.keyboard
    assert undo_label == "Undo"

    undone = await bot.ask(button_press(undo, taught.fields))

    assert undone["text"].startswith(f'Took "{GAP}" back out of stretch-a-cramp')
    assert easing.read_bytes() == before
    assert bot.service.answer(Question(GAP, "telegram", "104")).status is not Status.ANSWERED


async def test_a_moderator_chooses_the_entry_to_teach(
    start_bot: StartBot, editable_knowledge: Path
) -> None:
    bot = await start_bot(editable_knowledge, telegram_moderator_ids=[MODERATOR])
    report = await gap_report(bot)

    choice = await bot.ask(button_press(button(report, "1. Choose entry"), report.fields))
    assert choice["text"] == f'Teach "{GAP}" to which entry?'
    taught = await bot.ask(button_press(button(choice, "massage-a-cramp:"), choice.fields))

    assert taught["text"].startswith(f'Taught "{GAP}" to massage-a-cramp (entries/easing.yaml:')
    assert bot.service.brain.knowledge.entries["massage-a-cramp"].questions[-1] == GAP


async def test_teach_buttons_are_refused_to_everyone_but_moderators(
    start_bot: StartBot, editable_knowledge: Path
) -> None:
    bot = await start_bot(editable_knowledge, telegram_moderator_ids=[MODERATOR])
    easing = editable_knowledge / "entries" / "easing.yaml"
    before = easing.read_bytes()
    report = await gap_report(bot)

    toast = await bot.ask(
        button_press(button(report, "1. Teach to"), report.fields, user_id=RUNNER),
        "answerCallbackQuery",
    )

    assert toast["text"] == "Sorry, only runbot's moderators can use these buttons."
    assert easing.read_bytes() == before


async def test_a_refused_question_is_explained_and_nothing_is_written(
    start_bot: StartBot, editable_knowledge: Path
) -> None:
    bot = await start_bot(editable_knowledge, telegram_moderator_ids=[MODERATOR])
    bot.service.answer(Question("how do i fix shin splints", "telegram", "101"))
    easing = editable_knowledge / "entries" / "easing.yaml"
    before = easing.read_bytes()
    report = await bot.ask(private("/gaps"))

    refused = await bot.ask(button_press(button(report, "1. Teach to"), report.fields))

    assert refused["text"].startswith("<b>Not taught: kb check would warn about it")
    assert "is not answered (fallback): 'how do i fix shin splints'" in refused["text"]
    assert easing.read_bytes() == before
