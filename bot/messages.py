"""Words runbot says that do not come from the knowledge base, kept in one place."""

from __future__ import annotations

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
    if outcome is VoteOutcome.COUNTED:
        return VOTE_COUNTED_HELPFUL if helpful else VOTE_COUNTED_NOT_HELPFUL
    if outcome is VoteOutcome.SAME_AGAIN:
        return VOTE_SAME_AGAIN
    if outcome is VoteOutcome.CHANGED:
        return VOTE_CHANGED.format(verdict="helpful" if helpful else "not helpful")
    if outcome is VoteOutcome.UNKNOWN:
        return VOTE_UNKNOWN
    return VOTE_FAILED


def question_log_unusable(path: str, reason: str) -> str:
    """Said once in the log and to the moderators' chats when the question log can't be used."""
    return (
        f"The question log ({path}) cannot be used: {reason}. runbot answers as usual, but "
        "keeps no questions or votes (the gap report is empty) until the file is fixed or "
        "moved away and runbot is restarted."
    )


def period(days: int) -> str:
    """ "1 day" or "N days", as the reports and privacy notes say it."""
    return "1 day" if days == 1 else f"{days} days"
