"""The answering service adapters talk to: holds the current knowledge, swaps it on reload.

Data flows one way: adapter -> `service.answer(Question)` -> `Reply` -> adapter renders.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import hashlib
import logging
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from bot import messages
from bot.answering import Brain
from bot.cycle_collector import collector_paused
from bot.gaps import LOW_CONFIDENCE, Gap, find_gaps
from bot.handover import answering, retire, sharing_the_gil
from bot.human_help import HumanRequests
from bot.knowledge import KnowledgeError, Problem, Source, problem_report
from bot.knowledge.load import load_knowledge
from bot.knowledge_version import knowledge_version
from bot.logs import RELOAD_EVENT
from bot.metrics import METRICS
from bot.question_log import LoggedQuestion, QuestionLogStore
from bot.removals import Inventory, Removals, removed
from bot.reply import Question, Reply, Status, Suggestion
from bot.served import read_served_record, write_served_record
from bot.story_model import story_model_loaded
from bot.teach import Lesson, teach, unteach
from bot.votes import VoteBook, VoteLog, VoteOutcome

__all__ = [
    "Confirmation",
    "QuestionLog",
    "ReloadResult",
    "RunbotService",
    "SourceList",
    "Stats",
    "TopicMenu",
]

log = logging.getLogger(__name__)

# The console chat announces reloads itself and leaves records marked so out of its log.
_RELOAD = {"event": RELOAD_EVENT}
# Held reloads remembered (to name what a moderator declined); more are rarely pending.
_HELD_KEPT = 20
# The gap report groups the most recent unanswered questions: at most this many.
GAP_QUESTIONS_READ = 2_000
# Gap questions offered to moderators' teach buttons, remembered by token (newest kept).
_OFFERS_KEPT = 500


class QuestionLog(VoteLog, Protocol):
    """Where questions, outcomes and votes are kept for moderators (see bot.question_log)."""

    def record(self, question: Question, reply: Reply) -> None: ...

    def unanswered(self, days: int, low_confidence: float, limit: int) -> list[LoggedQuestion]: ...

    def close(self) -> None: ...


class Confirmation(StrEnum):
    """Where a reload that removes red flags, patterns or entries stands."""

    NEEDED = "needed"  # held: the last good knowledge is served until a moderator confirms
    CONFIRMED = "confirmed"  # a moderator confirmed: the removals were swapped in
    DECLINED = "declined"  # a moderator said no: the last good knowledge stays


@dataclass(frozen=True, slots=True)
class ReloadResult:
    """What a reload did: swapped in new knowledge, or kept the old and why."""

    ok: bool
    problems: tuple[Problem, ...]
    entries: int
    seconds: float
    removals: Removals | None = None
    confirmation: Confirmation | None = None

    @property
    def token(self) -> str | None:
        """What a moderator confirms (or declines) when a reload needs confirming."""
        if self.confirmation is Confirmation.NEEDED and self.removals is not None:
            return self.removals.token
        return None

    @property
    def headline(self) -> str:
        """What happened, in one sentence (bot.messages words it)."""
        return messages.reload_headline(self)

    @property
    def details(self) -> tuple[str, ...]:
        """One line per problem or removal."""
        return messages.reload_details(self)


@dataclass(frozen=True, slots=True)
class Stats:
    """Counts since the service started."""

    questions: int
    answered: int
    clarify: int
    fallback: int
    urgent: int
    helpful: int
    not_helpful: int
    lost_replies: int = 0  # could not be sent, even after trying again


@dataclass(frozen=True, slots=True)
class SourceList:
    """Everything runbot cites: where answers come from, and the research behind caveats."""

    answers: tuple[Source, ...]  # most used first: the article
    research: tuple[Source, ...]

    @property
    def main(self) -> Source | None:
        return self.answers[0] if self.answers else None


@dataclass(frozen=True, slots=True)
class TopicMenu:
    name: str
    entries: tuple[Suggestion, ...]


class RunbotService:
    """Answers questions from the current knowledge; thread- and task-safe."""

    def __init__(
        self,
        directory: Path,
        question_log: QuestionLog | None = None,
        served_record: Path | None = None,
        question_log_problem: str | None = None,
        ask_a_human: bool = False,
    ) -> None:
        """Load `directory`; raises KnowledgeError if the knowledge cannot be loaded at all.

        `served_record`: where to record what is served, for `runbot kb check`.
        `question_log_problem`: why there is no question log although one was wanted.
        `ask_a_human`: keep runners' requests to ask the moderators (RUNBOT_ASK_A_HUMAN);
        they are kept in the question log's database, so without one there are none.
        """
        self.directory = directory
        version = knowledge_version(directory)  # before loading: an edit during it reloads
        self._brain = Brain(load_knowledge(directory))
        _leave_out_of_collections()
        self.knowledge_version = version
        METRICS.knowledge_loaded(len(self._brain.knowledge.entries), version)
        self._served_record = served_record
        if served_record is not None:
            self._compare_with_the_last_run(served_record)
            write_served_record(served_record, self._brain.knowledge)
        self._question_log = question_log
        self.question_log_problem = question_log_problem
        self._votes = VoteBook(question_log)
        self.human_requests: HumanRequests | None = None
        if ask_a_human and isinstance(question_log, QuestionLogStore):
            self.human_requests = HumanRequests(question_log)
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._reload_listeners: list[Callable[[ReloadResult], None]] = []
        self._reload_lock = threading.Lock()
        self._held: dict[str, Removals] = {}  # held reloads by token, for decline_reload
        self._offers: dict[str, str] = {}  # gap questions by token, for the teach buttons

    @property
    def brain(self) -> Brain:
        return self._brain

    @property
    def entry_count(self) -> int:
        """How many entries the knowledge being served has."""
        return len(self._brain.knowledge.entries)

    def entry_title(self, entry_id: str) -> str | None:
        """The title of an entry being served; None if there is no such entry (any more)."""
        entry = self._brain.knowledge.entries.get(entry_id)
        return None if entry is None else entry.title

    def warm_up(self) -> None:
        """Load what a first long post would wait for (a second); a serving bot's thread."""
        try:
            self._brain.prepare()
        except Exception:  # the first long post will try again; answering goes on
            log.exception("could not prepare the post reader ahead of the first long post")

    def answer(self, question: Question) -> Reply:
        """Answer one question and record its outcome."""
        started = time.perf_counter()
        with answering():
            reply = self._brain.answer(question.text)
        return self._issue(question, reply, started)

    def answer_entry(self, entry_id: str, question: Question) -> Reply | None:
        """The answer for an entry the runner picked from suggestions; None if it is gone."""
        started = time.perf_counter()
        reply = self.entry_reply(entry_id)
        return None if reply is None else self._issue(question, reply, started)

    def preview(self, text: str) -> Reply:
        """The reply `text` would get, without counting or logging it (inline previews)."""
        with answering():
            return self._brain.answer(text)

    def entry_reply(self, entry_id: str) -> Reply | None:
        """One entry's answer, without counting or logging it; None if there is no such entry."""
        brain = self._brain
        return brain.entry_reply(entry_id) if entry_id in brain.knowledge.entries else None

    def suggest(self, text: str, limit: int = 25) -> tuple[Suggestion, ...]:
        """Entries matching a partial question, best first; all entries when nothing matches."""
        with answering():
            return self._brain.suggest(text, limit)

    def on_reload(self, listener: Callable[[ReloadResult], None]) -> Callable[[], None]:
        """Call `listener` after every reload attempt (e.g. to tell moderators in a chat).

        Returns a function that stops the calls (for an adapter that stops serving).
        """
        with self._lock:
            self._reload_listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock, contextlib.suppress(ValueError):  # already unsubscribed
                self._reload_listeners.remove(listener)

        return unsubscribe

    def sources(self) -> SourceList:
        """The sources answers come from (most used first), then the research cited besides."""
        knowledge = self._brain.knowledge
        used = Counter(entry.source.ref for entry in knowledge.entries.values())
        answers = [source_id for source_id, _ in used.most_common()]
        research = [source_id for source_id in knowledge.sources if source_id not in used]
        return SourceList(
            tuple(knowledge.sources[source_id] for source_id in answers),
            tuple(knowledge.sources[source_id] for source_id in research),
        )

    def on_reload_in_this_loop(
        self, notify: Callable[[ReloadResult], Coroutine[Any, Any, None]]
    ) -> Callable[[], None]:
        """Run `notify(result)` on the calling event loop after every reload attempt.

        Reloads happen on worker threads (the file watcher, `reload_in_background`) as well
        as on the loop; adapters that post to a chat need their coroutine on their own loop.
        Returns a function that stops the calls.
        """
        loop = asyncio.get_running_loop()
        running: set[asyncio.Task[None]] = set()  # kept so that tasks aren't collected early

        def start(result: ReloadResult) -> None:
            task = loop.create_task(notify(result))
            running.add(task)
            task.add_done_callback(running.discard)

        def listener(result: ReloadResult) -> None:
            if not loop.is_closed():
                loop.call_soon_threadsafe(start, result)

        return self.on_reload(listener)

    def topics(self) -> tuple[TopicMenu, ...]:
        brain = self._brain
        return tuple(
            TopicMenu(topic.name, brain.suggestions(topic.entry_ids))
            for topic in brain.knowledge.topics
        )

    def record_vote(
        self, reply_id: str, helpful: bool, platform: str, voter: str | None
    ) -> VoteOutcome:
        """One person's helpful / not helpful vote on an answer: one per person per answer.

        May read the question log (for answers from before a restart): call it off the
        event loop.
        """
        outcome = self._votes.vote(reply_id, platform, voter, helpful)
        if outcome in (VoteOutcome.COUNTED, VoteOutcome.CHANGED):
            METRICS.count_vote(helpful)  # votes cast, as counted now (a change is one more)
        return outcome

    def gaps(self, days: int = 30, limit: int = 10) -> list[Gap] | None:
        """What runners asked that runbot could not answer well; None without a question log.

        Reads at most the GAP_QUESTIONS_READ most recent such questions.
        """
        if self._question_log is None:
            return None
        asked = self._question_log.unanswered(days, LOW_CONFIDENCE, GAP_QUESTIONS_READ)
        return find_gaps(self._brain, asked, limit)

    def offer_to_teach(self, question: str) -> str:
        """A short token for a gap's question, for buttons that teach it (see `offered`).

        The same question always gets the same token. Tokens are kept in the question log
        too (when there is one), so that a button works on every worker and after a restart.
        """
        token = hashlib.sha256(question.encode()).hexdigest()[:10]
        self._remember_offer(token, question)
        if isinstance(self._question_log, QuestionLogStore):
            self._question_log.remember_offer(token, question)
        return token

    def offered(self, token: str) -> str | None:
        """The question a teach button's token stands for; None once forgotten.

        May read the question log (a button offered by another worker): call it off the
        event loop.
        """
        with self._lock:
            question = self._offers.get(token)
        if question is None and isinstance(self._question_log, QuestionLogStore):
            question = self._question_log.offered(token)
            if question is not None:
                self._remember_offer(token, question)
        return question

    def _remember_offer(self, token: str, question: str) -> None:
        with self._lock:
            self._offers.pop(token, None)
            self._offers[token] = question
            while len(self._offers) > _OFFERS_KEPT:
                del self._offers[next(iter(self._offers))]

    def entries_for(self, question: str, limit: int = 8) -> tuple[Suggestion, ...]:
        """The entries a moderator may teach `question` to, nearest first."""
        brain = self._brain
        ranked = [match.entry_id for match in brain.ranker.rank(question, limit=limit)]
        ranked += [entry_id for entry_id in brain.knowledge.entries if entry_id not in ranked]
        return brain.suggestions(tuple(ranked[:limit]))

    def teach(self, entry_id: str, question: str) -> tuple[Lesson, ReloadResult]:
        """Add `question` to the examples of `entry_id` and reload; raises
        bot.teach.TeachRefusedError (nothing written) if it would not help. Blocking: call
        it off the event loop."""
        lesson = teach(self.directory, self._brain, entry_id, question)
        return lesson, self.reload()

    def unteach(self, entry_id: str, question: str) -> tuple[Lesson, ReloadResult]:
        """Take a taught question back out (the undo of `teach`) and reload."""
        lesson = unteach(self.directory, self._brain, entry_id, question)
        return lesson, self.reload()

    def close(self) -> None:
        """Write what the question log still holds, and close it (when the bot stops)."""
        if self._question_log is not None:
            self._question_log.close()

    @property
    def keeps_questions(self) -> bool:
        """Whether questions are logged (adapters say so in /start and /help)."""
        return self._question_log is not None

    def count_lost_reply(self) -> None:
        """A reply (or toast, or edit) could not be delivered to a platform at all."""
        with self._lock:
            self._counts["lost_replies"] += 1

    def stats(self) -> Stats:
        with self._lock:
            counts = dict(self._counts)
        return Stats(
            questions=counts.get("questions", 0),
            answered=counts.get(Status.ANSWERED.value, 0),
            clarify=counts.get(Status.CLARIFY.value, 0),
            fallback=counts.get(Status.FALLBACK.value, 0),
            urgent=counts.get(Status.URGENT.value, 0),
            helpful=self._votes.helpful,
            not_helpful=self._votes.not_helpful,
            lost_replies=counts.get("lost_replies", 0),
        )

    def reload(self, confirm: str | None = None) -> ReloadResult:
        """Load the knowledge again; on any problem keep serving the last good knowledge.

        A reload that would remove red flags, their patterns, emergency numbers or entries
        is held (Confirmation.NEEDED) unless `confirm` is the token of exactly those
        removals, as a moderator was shown them.
        """
        result = self._load_again(confirm)
        self._notify(result)
        return result

    async def reload_in_background(self, confirm: str | None = None) -> ReloadResult:
        """`reload()` with the loading in a worker thread, so the event loop keeps answering.

        Listeners are still called on the event loop's thread.
        """
        result = await asyncio.to_thread(self._load_again, confirm)
        self._notify(result)
        return result

    def decline_reload(self, token: str) -> ReloadResult:
        """A moderator said no to a held reload: keep serving, and tell the listeners."""
        with self._lock:
            removals = self._held.get(token)
        entries = len(self._brain.knowledge.entries)
        result = ReloadResult(False, (), entries, 0.0, removals, Confirmation.DECLINED)
        log.warning(
            "a moderator declined a reload that removes %s", (removals or Removals()).summary
        )
        self._notify(result)
        return result

    def _notify(self, result: ReloadResult) -> None:
        METRICS.count_reload(result.ok)
        with self._lock:
            listeners = list(self._reload_listeners)
        for listener in listeners:
            try:
                listener(result)
            except Exception:
                log.exception("a reload listener failed")

    def _load_again(self, confirm: str | None = None) -> ReloadResult:
        with self._reload_lock:  # a watcher reload and a /reload command must not interleave
            return self._load_again_locked(confirm)

    def _load_again_locked(self, confirm: str | None) -> ReloadResult:
        started = time.perf_counter()
        try:
            version = knowledge_version(self.directory)
            # Building allocates millions of objects, few cycles; answers go on beside it.
            with collector_paused(), sharing_the_gil():
                brain = Brain(load_knowledge(self.directory))
                if story_model_loaded():  # so no runner's post waits for it
                    brain.prepare()
                _leave_out_of_collections()
        except KnowledgeError as error:
            problems = error.problems
            log.warning(
                "knowledge reload failed, keeping the last good knowledge:\n%s",
                problem_report(problems),
                extra=_RELOAD,
            )
        except Exception as error:  # a bug must not take down a serving bot either
            log.exception(
                "knowledge reload crashed, keeping the last good knowledge", extra=_RELOAD
            )
            problems = (Problem(str(self.directory), 1, 1, f"could not load: {error!r}"),)
        else:
            return self._swap_in(brain, version, confirm, started)
        elapsed = time.perf_counter() - started
        return ReloadResult(False, problems, len(self._brain.knowledge.entries), elapsed)

    def _swap_in(
        self, brain: Brain, version: str, confirm: str | None, started: float
    ) -> ReloadResult:
        served = Inventory.of(self._brain.knowledge)
        removals = removed(served, Inventory.of(brain.knowledge))
        elapsed = time.perf_counter() - started
        if removals and removals.token != confirm:
            with self._lock:
                self._held[removals.token] = removals
                while len(self._held) > _HELD_KEPT:  # the oldest questions go first
                    del self._held[next(iter(self._held))]
            log.warning(
                "knowledge reload held until a moderator confirms: the edit removes %s\n%s",
                removals.summary,
                "\n".join(removals.lines()),
                extra=_RELOAD,
            )
            entries = len(self._brain.knowledge.entries)
            return ReloadResult(False, (), entries, elapsed, removals, Confirmation.NEEDED)
        replaced = self._brain
        self._brain = brain  # one reference swap: questions in flight keep the old brain
        self.knowledge_version = version
        retire(replaced)  # freed off the answering path once they are done
        del replaced
        count = len(brain.knowledge.entries)
        METRICS.knowledge_loaded(count, version)
        if self._served_record is not None:
            write_served_record(self._served_record, brain.knowledge)
        if removals:
            log.warning("a moderator confirmed removing %s", removals.summary, extra=_RELOAD)
        log.info(
            "knowledge reloaded: %d entries in %.0f ms, version %s",
            count,
            elapsed * 1000,
            version,
            extra=_RELOAD,
        )
        if removals:
            return ReloadResult(True, (), count, elapsed, removals, Confirmation.CONFIRMED)
        return ReloadResult(True, (), count, elapsed)

    def _compare_with_the_last_run(self, served_record: Path) -> None:
        """Say if runbot starts with less than it served when it last ran."""
        record = read_served_record(served_record)
        if record is None or record.directory != str(self.directory):
            return
        removals = removed(record.inventory, Inventory.of(self._brain.knowledge))
        if removals:
            log.warning(
                "runbot starts with less than it served when it last ran: %s\n%s",
                removals.summary,
                "\n".join(removals.lines()),
            )

    def _issue(self, question: Question, reply: Reply, started: float) -> Reply:
        reply = replace(reply, reply_id=uuid.uuid4().hex[:16])
        METRICS.count_question(question.platform, reply.status.value, time.perf_counter() - started)
        with self._lock:
            self._counts["questions"] += 1
            self._counts[reply.status.value] += 1
        if reply.status is Status.ANSWERED:
            self._votes.answered(reply.reply_id)
        if self._question_log is not None:
            try:
                self._question_log.record(question, reply)
            except Exception:  # the log must never stop a runner getting an answer
                log.exception("could not record a question in the question log")
        return reply


def _leave_out_of_collections() -> None:
    """Leave every object alive now (a new brain above all) out of future cycle collections.

    A brain is hundreds of thousands of objects without cycles, freed by reference counting
    when it is replaced; a full collection would walk all of them while holding the GIL
    (about 150 ms at 10,000 entries), and the first ones after a reload stalled answers.
    """
    gc.freeze()
