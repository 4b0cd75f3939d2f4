"""Every sentence runbot says that does not come from the knowledge base, defined once.

Every renderer composes from here: plain text (bot.reply), the console, Telegram and
Discord. Sentences are plain text; renderers add their platform's markup (bold, escaping,
emoji on a button) and never reword. What only one platform says is in its own section
(`Telegram`, `Discord`, `Console`), because it names that platform's commands.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # bot.votes brings sqlite3, which `runbot ask` never needs
    from bot.knowledge import Source
    from bot.reply import Attribution, Caveat, Citation, SuggestionKind
    from bot.service import ReloadResult
    from bot.votes import VoteOutcome

__all__ = [
    "ABOUT_RUNBOT",
    "ALSO_ASKED_INTRO",
    "ASK_MODERATOR",
    "CLARIFY_INTRO",
    "CLOSE_INTRO",
    "DISCLAIMER",
    "EMPTY",
    "FALLBACK",
    "FALLBACK_PROFESSIONAL",
    "FALLBACK_TOPICS",
    "FAREWELL",
    "GAPS_HEADING",
    "GAPS_LOG_OFF",
    "GAPS_ORDER",
    "GAPS_TITLE",
    "GREETING",
    "HELPFUL",
    "KEEP_SERVING",
    "NOT_HELPFUL",
    "NO_GAPS",
    "RELATED_INTRO",
    "RELOADED_TITLE",
    "REMOVE_AND_RELOAD",
    "SOURCES_TITLE",
    "STATS_TITLE",
    "THANKS",
    "TOO_LONG",
    "URGENT_BASIS",
    "URGENT_DISCLAIMER",
    "URGENT_DOCTOR_HEADLINE",
    "URGENT_EMERGENCY_HEADLINE",
    "URGENT_MENTIONED",
    "URGENT_NUMBERS",
    "Console",
    "Discord",
    "Telegram",
    "cited",
    "gap_times_asked",
    "period",
    "question_log_unusable",
    "reload_details",
    "reload_headline",
    "reload_report",
    "research_note",
    "source_description",
    "source_line",
    "suggestions_intro",
    "urgent_basis",
    "urgent_basis_sources",
    "vote_thanks",
]

DISCLAIMER = (
    "Not medical advice: runbot is not a doctor. If pain is severe, keeps coming back "
    "or worries you, see a doctor or physio."
)

GREETING = (
    "Hi! I'm runbot. I answer runners' questions about muscle cramps, side stitches, "
    "hydration, electrolytes and sweat rate, from a published article, with the research "
    'where it disagrees. Try: "how do I stop a calf cramp?"'
)
THANKS = "You're welcome. Run well, and ask any time!"
FAREWELL = "Bye for now, and run well! Ask any time."
EMPTY = (
    "I didn't catch a question there. Ask me about muscle cramps, side stitches or "
    'hydration, for example: "why do I get cramps on long runs?"'
)
TOO_LONG = (
    "That's a long message! Please ask one question in a sentence or two, for example: "
    '"how do I stop a hamstring cramp?"'
)
FALLBACK = "I don't have advice on that yet."
GAPS_LOG_OFF = "The question log is off (RUNBOT_QUESTION_LOG=off), so there is nothing to report."
FALLBACK_TOPICS = "I can help with: {topics}."
FALLBACK_PROFESSIONAL = (
    "For an injury or pain that worries you, please see a physiotherapist or doctor."
)
CLARIFY_INTRO = "I'm not sure which of these you mean. Did you mean:"
RELATED_INTRO = "You might also ask about:"
ALSO_ASKED_INTRO = "You also asked about:"
CLOSE_INTRO = "Not quite what you asked? Try:"
URGENT_EMERGENCY_HEADLINE = "Please get medical help now"
URGENT_DOCTOR_HEADLINE = "Please see a doctor about this"
URGENT_MENTIONED = "You may be describing {signs}."
URGENT_NUMBERS = "Emergency numbers: {numbers}."
URGENT_BASIS = "Why: {sources}"
URGENT_DISCLAIMER = "runbot cannot examine you or diagnose anything; a doctor can."
RESEARCH_NOTE = "Research note: {text} ({cited})"


def cited(citations: Sequence[Citation]) -> str:
    """The cited sources' labels, one after another."""
    return "; ".join(citation.label for citation in citations)


def research_note(caveat: Caveat) -> str:
    """An answer's caveat with the research it cites."""
    return RESEARCH_NOTE.format(text=caveat.text, cited=cited(caveat.citations))


def urgent_basis_sources(basis: Sequence[Citation]) -> str:
    """The sources an urgent reply rests on, as a sentence of their labels."""
    return f"{cited(basis)}."


def urgent_basis(basis: Sequence[Citation]) -> str:
    """ "Why: ..." under an urgent reply."""
    return URGENT_BASIS.format(sources=urgent_basis_sources(basis))


def suggestions_intro(kind: SuggestionKind | None) -> str | None:
    """What introduces a reply's suggestions (nothing for "did you mean": the body asks)."""
    from bot.reply import SuggestionKind

    intros = {
        SuggestionKind.RELATED: RELATED_INTRO,
        SuggestionKind.ALSO_ASKED: ALSO_ASKED_INTRO,
        SuggestionKind.CLOSE: CLOSE_INTRO,
    }
    return intros.get(kind) if kind else None


def source_line(attribution: Attribution) -> str:
    """Where an answer comes from, in one line under it."""
    where = f', section "{attribution.section}"' if attribution.section else ""
    link = f" {attribution.url}" if attribution.url else ""
    # An organisation that is both author and publisher is named once.
    by = f" by {attribution.author}" if attribution.author != attribution.publisher else ""
    return f'Source: "{attribution.title}"{by}, {attribution.publisher}{where}.{link}'


def source_description(source: Source) -> str:
    """A source in full, as the sources list shows it."""
    year = f", {source.year}" if source.year else ""
    url = f" {source.url}" if source.url else ""
    return f'"{source.title}" by {source.author}, {source.publisher}{year}.{url}'


# What a voter is told: the truth about their vote (and the buttons they vote with).
HELPFUL = "Helpful"
NOT_HELPFUL = "Not helpful"
VOTE_COUNTED_HELPFUL = "Thanks! Glad it helped."
VOTE_COUNTED_NOT_HELPFUL = "Thanks for telling us: moderators use this to improve the answers."
VOTE_SAME_AGAIN = "You already voted on this answer; your vote counts once."
VOTE_CHANGED = "Changed your vote to {verdict}. Thanks!"
VOTE_UNKNOWN = "I no longer have that answer, so I can't count a vote on it."
VOTE_FAILED = "Sorry, I couldn't record your vote just now. Please try again in a moment."


def vote_thanks(outcome: VoteOutcome, helpful: bool) -> str:
    """What to tell a runner about their vote."""
    from bot.votes import VoteOutcome

    if outcome is VoteOutcome.COUNTED:
        return VOTE_COUNTED_HELPFUL if helpful else VOTE_COUNTED_NOT_HELPFUL
    if outcome is VoteOutcome.SAME_AGAIN:
        return VOTE_SAME_AGAIN
    if outcome is VoteOutcome.CHANGED:
        return VOTE_CHANGED.format(verdict="helpful" if helpful else "not helpful")
    if outcome is VoteOutcome.UNKNOWN:
        return VOTE_UNKNOWN
    return VOTE_FAILED


# Ask a human (RUNBOT_ASK_A_HUMAN): what runners and moderators are told.
ASK_MODERATOR = "Ask a moderator"
HUMAN_YES = "Yes, ask a moderator"
HUMAN_SENT = "Sent to runbot's moderators. When one of them replies, I'll send the reply here."
HUMAN_ALREADY_PENDING = (
    "You already have a question waiting for a moderator: their reply will come where you asked it."
)
HUMAN_NOT_YOURS = "Only the runner who asked this can send it to the moderators."
HUMAN_UNKNOWN = "I no longer have that question, so I can't send it to the moderators."
HUMAN_OFF = "Asking a moderator is not turned on here."
HUMAN_HOW_TO_REPLY_TELEGRAM = (
    "Reply to this message to answer: runbot sends your reply to the runner, as from a "
    "moderator (without your name). Or ignore it: the runner is not told."
)
HUMAN_IGNORE = "Ignore"
HUMAN_IGNORED = "Ignored: the runner is not told."
HUMAN_RELAYED = "Sent to the runner, as a reply from runbot's moderators."
HUMAN_ALREADY_CLOSED = "That question was already answered or ignored."
HUMAN_REPLY_LABEL = (
    "This reply is from one of runbot's moderators (a person, a runner like you), not from "
    "the article runbot answers from, and it is not medical advice."
)


def human_consent(platform: str, days: int) -> str:
    """What asking a moderator shares, said before the runner agrees."""
    return (
        "Would you like runbot's moderators to answer this? They will see the text of your "
        f"question and that it came from {platform}, never your name or account. runbot keeps "
        "where to send their reply until a moderator answers (at most "
        f"{period(days)}). Only one question can wait for a moderator at a time."
    )


def human_request_heading(platform: str, origin: str) -> str:
    """The moderators' view of a request: where it came from, and nothing about who."""
    return (
        f"A runner asked runbot this in {origin} on {platform}, and would like a "
        "moderator's answer:"
    )


def human_reply_heading(question: str) -> str:
    shown = question if len(question) <= 300 else question[:299] + "…"
    return f'A moderator replied to your question "{shown}":'


def human_on_offer(platform: str, days: int) -> str:
    """For /start and /help when asking a moderator is on."""
    return (
        "If I can't help, I can offer to ask runbot's moderators: only if you agree, they see "
        f"your question's text and that it came from {platform} (never your name), and runbot "
        f"keeps where to send their reply until they answer (at most {period(days)})."
    )


def question_log_unusable(path: str, reason: str) -> str:
    """Said once in the log and to the moderators' chats when the question log can't be used."""
    return (
        f"The question log ({path}) cannot be used: {reason}. runbot answers as usual, but "
        "keeps no questions or votes (the gap report is empty) until the database is fixed "
        "(a file: or moved away) and runbot is restarted."
    )


def period(days: int) -> str:
    """ "1 day" or "N days", as the reports and privacy notes say it."""
    return "1 day" if days == 1 else f"{days} days"


# --- for moderators: sources, stats, the gap report, teaching ---------------------------------

SOURCES_TITLE = "Where runbot's answers come from"
STATS_TITLE = "runbot since start"
GAPS_TITLE = "Questions runbot could not answer well, last {days}"
GAPS_ORDER = "most asked first"
# The title with the order, where there is no footer to say it.
GAPS_HEADING = f"{GAPS_TITLE} ({GAPS_ORDER})"
NO_GAPS = "No unanswered questions in the last {days}."
# How each outcome of a gap's questions reads to a moderator.
GAP_OUTCOMES = {
    "fallback": "no answer",
    "clarify": "did you mean",
    "answered": "low-confidence answer",
}
GAP_ADVICE_TEACH = "add an example question to '{entry}'"
GAP_ADVICE_NEW = "write a new entry (or add the words to vocabulary.yaml)"
GAP_ASKED = "{times_asked}: {outcomes}."
GAP_ALSO_ASKED = "Also asked as: {examples}"
GAP_NEAREST = "Nearest entry: {nearest}. To do: {advice}."
GAP_NEAREST_ENTRY = "{entry} (score {score:.2f})"
GAP_NO_NEAREST = "none"
TEACH_TO = "Teach to {entry}"
CHOOSE_ENTRY = "Choose entry"
TEACH_WHICH = 'Teach "{question}" to which entry?'
TAUGHT = 'Taught "{question}" to {entry} ({where}).'
UNTAUGHT = 'Took "{question}" back out of {entry} ({where}).'
NOT_TAUGHT = "Not taught"
NOT_UNDONE = "Not undone"
UNDO = "Undo"
TEACH_GONE = "That gap report is out of date (runbot restarted): {command} again."


def gap_times_asked(count: int, askers: int) -> str:
    """How often a gap's questions were asked, by how many people (if known)."""
    times = "once" if count == 1 else f"{count} times"
    people = "1 person" if askers == 1 else f"{askers} people"
    return f"Asked {times} by {people}" if askers else f"Asked {times}"


# --- reloads ---------------------------------------------------------------------------------

RELOADED_TITLE = "Knowledge reloaded"
NOT_RELOADED_TITLE = "Knowledge NOT reloaded"
REMOVE_AND_RELOAD = "Yes, remove them"
KEEP_SERVING = "No, keep serving"


def reload_headline(result: ReloadResult) -> str:
    """What a reload did, in one sentence."""
    from bot.service import Confirmation

    removed = result.removals.summary if result.removals else ""
    if result.confirmation is Confirmation.NEEDED:
        return (
            f"{NOT_RELOADED_TITLE}: the edit removes {removed}. Still serving the last good "
            f"knowledge ({result.entries} entries) until a moderator confirms the removal."
        )
    if result.confirmation is Confirmation.DECLINED:
        return (
            f"{NOT_RELOADED_TITLE}: a moderator declined removing {removed}; still serving "
            f"the last good knowledge ({result.entries} entries). Restore them in the files, "
            "or reload again and confirm."
        )
    took = f"{result.entries} entries in {result.seconds * 1000:.0f} ms"
    if result.ok and result.confirmation is Confirmation.CONFIRMED:
        return f"{RELOADED_TITLE}: {took}. A moderator confirmed removing {removed}."
    if result.ok:
        return f"{RELOADED_TITLE}: {took}."
    return (
        f"{NOT_RELOADED_TITLE} ({len(result.problems)} problem(s)); "
        f"still serving the last good knowledge ({result.entries} entries)."
    )


def reload_details(result: ReloadResult) -> tuple[str, ...]:
    """One line per problem (file:line:column) or removal, under the headline."""
    from bot.knowledge import problem_report

    if result.problems and not result.ok:
        return tuple(problem_report(result.problems).splitlines())
    if result.removals is not None and result.confirmation is not None:
        return tuple(result.removals.lines())
    return ()


def reload_report(result: ReloadResult) -> str:
    """The headline, then the details, one a line (for logs and the console)."""
    return "\n".join((result.headline, *result.details))


ABOUT_RUNBOT = "About runbot"


# --- what only one platform says (it names that platform's commands) ---------------------------


class Console:
    """The local console chat (`make run` without a token)."""

    HELLO = "runbot: ask me about running cramps. /help for help, quit (or Ctrl-D) to leave."
    KEPT = (
        "Questions you ask here are kept, without your name, for the moderators' gap report, "
        "in {path} (RUNBOT_QUESTION_LOG=false turns that off)."
    )
    HELP = """Ask runbot anything about running cramps, side stitches, hydration or sweat rate.
  /topics              list what runbot knows (pick one by number)
  /help                this help
  quit, exit, /quit    leave (Ctrl-D works too)
After "Did you mean...?" or a topic list, type a number to choose."""
    UNKNOWN_COMMAND = "There is no {command} command here. Try /topics, /help or quit."
    CHOOSE_A_NUMBER = "Choose a number from 1 to {most}, or ask a question."


class Telegram:
    """Telegram's commands, menus, toasts and moderator views."""

    # The menu next to the text box: (command, what it does).
    COMMAND_MENU = (
        ("topics", "Everything I can answer, as buttons"),
        ("ask", "Ask a question (works in groups)"),
        ("source", "Where my answers come from"),
        ("help", "How to use runbot"),
        ("start", ABOUT_RUNBOT),
    )
    HELLO = "Hi! I'm runbot."
    ABOUT = (
        "I answer runners' questions{where}, with the research where it disagrees. "
        "Topics: {topics}. Just send me your question, or pick one from /topics."
    )
    FROM_ARTICLE = ' from "{title}" by {author}'
    KEEPS_QUESTIONS = (
        "What I keep: the questions you ask, for {days} days and without your name, "
        "to improve my answers."
    )
    KEEPS_NOTHING = "I don't keep your questions."
    HELP_TITLE = "How to ask runbot"
    HELP_COMMANDS = (
        "Send any question in this chat, for example: how do I stop a calf cramp?\n"
        "/topics - everything I can answer, as buttons\n"
        "/ask QUESTION - ask a question (works in groups too)\n"
        "/source - where my answers come from\n"
        "/help - this help"
    )
    HELP_GROUPS = (
        "In a group, use /ask, mention @{bot}, or reply to one of my messages. In any chat, "
        "type @{bot} and a few words (like side stitch) to share an answer."
    )
    PICK_A_TOPIC = "Pick a topic:"
    PICK_A_QUESTION = "Pick a question:"
    ALL_TOPICS = "« All topics"
    RESEARCH_TITLE = "Research behind the caveats and safety advice"
    STATS = (
        "Questions: {questions}\n"
        "Answered: {answered}\n"
        "Did you mean: {clarify}\n"
        "No answer (fallback): {fallback}\n"
        "Urgent: {urgent}\n"
        "Feedback: {helpful} helpful, {not_helpful} not helpful"
    )
    STATS_LOST = "Replies lost (could not be sent): {lost}"
    ASK_USAGE = (
        "Put your question after the command, for example:\n/ask how do I stop a calf cramp?"
    )
    MODERATORS_ONLY = "Sorry, only runbot's moderators can use {command}."
    NOT_IN_GROUPS = (
        "Ask me for {command} in a private chat, so other members don't see runners' questions."
    )
    UNKNOWN_COMMAND = "I don't know that command. Send /help to see what I can do."
    TEXT_ONLY = "I can only read text. Type your question, for example: how do I stop a calf cramp?"
    SLOW_DOWN = (
        "You're sending messages faster than I can answer them. I'll answer in order, but "
        "please wait for my replies before sending more."
    )
    SOMETHING_WENT_WRONG = "Sorry, something went wrong on my side. Please try again in a moment."
    # Toasts (answerCallbackQuery): at most 200 characters.
    ENTRY_GONE = "That answer is no longer available. Send /topics to see what I know."
    MENU_OUT_OF_DATE = "That menu is out of date. Send /topics again."
    BUTTON_OUT_OF_DATE = "That button is out of date: send /topics again."
    GAPS_USAGE = (
        "Add how many days to look back (1 to {most}), or nothing for the last {default} days, "
        "for example:\n/gaps 7"
    )
    TEACH_GONE = TEACH_GONE.format(command="send /gaps")
    NOT_TAUGHT_TOAST = "Not taught: see why below."
    NOT_UNDONE_TOAST = "Not undone."
    TAUGHT_TOAST = "Taught."
    UNTAUGHT_TOAST = "Taken back."


class Discord:
    """Discord's commands, embeds, components and forms."""

    # The slash commands and their options as Discord lists them.
    ASK_COMMAND = "Ask runbot about running cramps, side stitches, hydration or sweat rate."
    ASK_QUESTION_OPTION = "Your question, e.g. how do I stop a calf cramp?"
    ASK_EPHEMERAL_OPTION = "Show the answer only to you (default: everyone in the channel sees it)"
    TOPICS_COMMAND = "See everything runbot knows, and pick a question from a menu."
    SOURCE_COMMAND = "Where runbot's answers come from."
    HELP_COMMAND = "What runbot is, how to use it, and what it keeps about your questions."
    KB_GROUP = "Moderators: runbot's knowledge base"
    RELOAD_COMMAND = (
        "Check the knowledge files and swap them in; on errors keep the current knowledge."
    )
    STATS_COMMAND = "Counts of questions, answers and feedback since runbot started."
    GAPS_COMMAND = "What runners asked that runbot could not answer well, most asked first."
    GAPS_DAYS_OPTION = "How many days to look back (default 30)"

    CAVEAT_FIELD = "Caveat"
    # An urgent reply's note is not a caveat: it says which sources the advice rests on.
    URGENT_BASIS_FIELD = "Based on"
    TOPICS_TITLE = "What runbot knows"
    TOPICS_INTRO = "Pick a question from the menus below, or ask your own with /ask."
    TOPICS_PLACEHOLDER = "Questions on {topics}"
    SOURCES_TITLE = SOURCES_TITLE
    SOURCES_INTRO = (
        "Answers come from the published article below; caveats cite the research where it "
        "disagrees. runbot is not a doctor."
    )
    HELP_TITLE = ABOUT_RUNBOT
    HELP_ABOUT = (
        "runbot answers runners' questions about cramps, side stitches, hydration, electrolytes "
        "and sweat rate, from a published article, with notes where the research disagrees. "
        "runbot is not a doctor: for red-flag symptoms it tells you to get medical help."
    )
    HELP_USAGE_FIELD = "How to use it"
    HELP_USAGE = (
        "/ask: type your question, or pick one from the suggestions as you type.\n"
        "/ask with `ephemeral` set to True: only you see the answer (by default everyone in "
        "the channel sees it).\n"
        "/topics: everything runbot knows, with menus to pick a question from.\n"
        "/source: where runbot's answers come from.\n"
        "/help: this help, shown only to you."
    )
    HELP_KEPT_FIELD = "What runbot keeps"
    HELP_KEEPS_QUESTIONS = (
        "runbot keeps the questions you ask, with the answer it gave, for {days}, without your "
        "name or Discord id (only a salted hash, to count distinct askers), so moderators can "
        "see what it could not answer. Questions about red-flag symptoms are kept without "
        "their text."
    )
    HELP_KEEPS_NOTHING = "runbot doesn't keep your questions."
    GAPS_FOOTER = f"{GAPS_ORDER.capitalize()}."
    STATS_TITLE = STATS_TITLE
    # The counts' names, in the order /kb stats shows them.
    STATS_COUNTS = (
        "Questions",
        "Answered",
        "Clarify",
        "Fallback",
        "Urgent",
        "Helpful",
        "Not helpful",
        "Entries",
    )
    RELOADED_TITLE = RELOADED_TITLE
    NOT_RELOADED_TITLE = NOT_RELOADED_TITLE
    HELPFUL = HELPFUL
    NOT_HELPFUL = NOT_HELPFUL
    REMOVE_AND_RELOAD = REMOVE_AND_RELOAD
    KEEP_SERVING = KEEP_SERVING
    OUT_OF_DATE = "That menu is out of date: use /topics again."
    FORM_OUT_OF_DATE = "That form is out of date: nothing was sent."
    ENTRY_GONE = (
        "That question is no longer in runbot's knowledge (it was updated). "
        "Please ask again with /ask."
    )
    NOT_A_MODERATOR = "Sorry, /kb is for runbot's moderators on this server."
    COMMAND_OUT_OF_DATE = (
        "That command has changed since Discord last updated its list. "
        "Please try again in a minute, or type / to see the current commands."
    )
    SOMETHING_WENT_WRONG = (
        "Sorry, something went wrong on runbot's side and it could not answer. "
        "Please try again; if it keeps happening, tell a moderator."
    )
    TEACH_GONE = TEACH_GONE.format(command="use /kb gaps")
    CHOOSE_ENTRY = CHOOSE_ENTRY
    UNDO = UNDO
    NOT_TAUGHT = NOT_TAUGHT
    NOT_UNDONE = NOT_UNDONE
    TEACH_WHICH = TEACH_WHICH
    TAUGHT = TAUGHT
    UNTAUGHT = UNTAUGHT

    # Ask a moderator (RUNBOT_ASK_A_HUMAN); the words both platforms share are above.
    ASK_MODERATOR = ASK_MODERATOR
    HUMAN_CONSENT_TITLE = "Ask runbot's moderators?"
    HUMAN_WHAT_THEY_SEE = "What the moderators will see"
    HUMAN_FROM_A_SERVER = "a server channel"
    HUMAN_FROM_A_DM = "a direct message"
    HUMAN_EITHER_ORIGIN = "a server channel or a direct message on Discord"
    HUMAN_REPLY_IN_CHANNEL = "Their reply will come in this channel, mentioning you."
    HUMAN_REPLY_IN_DM = "Their reply will come here, in this direct message."
    HUMAN_REPLY_BY_DM = (
        "You asked privately, so their reply will come to you by direct message (if you "
        "accept direct messages from this server's members)."
    )
    HUMAN_SENT_BY_DM = (
        "Sent to runbot's moderators. When one of them replies, I'll send you the reply by "
        "direct message."
    )
    HUMAN_NOT_POSTED = (
        "Sorry, runbot could not reach its moderators just now, so nothing was sent. "
        "Please try again later."
    )
    HUMAN_HOW_TO_REPLY = (
        "Press Reply to answer: runbot sends your reply to the runner, as from a moderator "
        "(without your name). Or press Ignore: the runner is not told."
    )
    HUMAN_REPLY = "Reply"
    HUMAN_FORM_TITLE = "Reply to the runner"
    HUMAN_FORM_LABEL = "Your reply (sent without your name)"
    HUMAN_FORM_PLACEHOLDER = "runbot adds that it is from a moderator, not from the article."
    HUMAN_REPLY_SENT_FIELD = "Reply sent"
    HUMAN_EMPTY_REPLY = "Nothing was sent: the reply was empty."
    HUMAN_NOT_DELIVERED = (
        "Could not deliver the reply: runbot may not post in the runner's channel, or the "
        "runner does not accept direct messages. The question is closed."
    )
    HUMAN_MODERATORS_ONLY = (
        "Sorry, only runbot's moderators can answer or ignore runners' questions."
    )
    HELP_ASK_FIELD = "Asking a moderator"
