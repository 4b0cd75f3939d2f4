"""Words runbot says that do not come from the knowledge base, kept in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # bot.votes brings sqlite3, which `runbot ask` never needs
    from bot.service import ReloadResult
    from bot.votes import VoteOutcome

__all__ = [
    "ALSO_ASKED_INTRO",
    "CLARIFY_INTRO",
    "CLOSE_INTRO",
    "DISCLAIMER",
    "EMPTY",
    "FALLBACK",
    "FALLBACK_PROFESSIONAL",
    "FALLBACK_TOPICS",
    "FAREWELL",
    "GAPS_LOG_OFF",
    "GREETING",
    "RELATED_INTRO",
    "THANKS",
    "TOO_LONG",
    "URGENT_BASIS",
    "URGENT_DISCLAIMER",
    "URGENT_DOCTOR_HEADLINE",
    "URGENT_EMERGENCY_HEADLINE",
    "URGENT_MENTIONED",
    "URGENT_NUMBERS",
    "period",
    "question_log_unusable",
    "reload_details",
    "reload_headline",
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
URGENT_BASIS = "Why: {sources}."
URGENT_DISCLAIMER = "runbot cannot examine you or diagnose anything; a doctor can."


# What a voter is told: the truth about their vote.
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


# --- reloads ---------------------------------------------------------------------------------


def reload_headline(result: ReloadResult) -> str:
    """What a reload did, in one sentence."""
    from bot.service import Confirmation

    removed = result.removals.summary if result.removals else ""
    if result.confirmation is Confirmation.NEEDED:
        return (
            f"Knowledge NOT reloaded: the edit removes {removed}. Still serving the last good "
            f"knowledge ({result.entries} entries) until a moderator confirms the removal."
        )
    if result.confirmation is Confirmation.DECLINED:
        return (
            f"Knowledge NOT reloaded: a moderator declined removing {removed}; still serving "
            f"the last good knowledge ({result.entries} entries). Restore them in the files, "
            "or reload again and confirm."
        )
    took = f"{result.entries} entries in {result.seconds * 1000:.0f} ms"
    if result.ok and result.confirmation is Confirmation.CONFIRMED:
        return f"Knowledge reloaded: {took}. A moderator confirmed removing {removed}."
    if result.ok:
        return f"Knowledge reloaded: {took}."
    return (
        f"Knowledge NOT reloaded ({len(result.problems)} problem(s)); "
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
