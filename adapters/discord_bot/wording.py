"""Words runbot says only on Discord (the rest come from bot.messages and the knowledge)."""

from __future__ import annotations

CAVEAT_FIELD = "Caveat"
# An urgent reply's note is not a caveat: it says which sources the advice rests on.
URGENT_BASIS_FIELD = "Based on"
TOPICS_TITLE = "What runbot knows"
TOPICS_INTRO = "Pick a question from the menus below, or ask your own with /ask."
TOPICS_PLACEHOLDER = "Questions on {topics}"
SOURCES_TITLE = "Where runbot's answers come from"
SOURCES_INTRO = (
    "Answers come from the published article below; caveats cite the research where it "
    "disagrees. runbot is not a doctor."
)
HELP_TITLE = "About runbot"
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
    "name or Discord id (only a salted hash, to count distinct askers), so moderators can see "
    "what it could not answer. Questions about red-flag symptoms are kept without their text."
)
HELP_KEEPS_NOTHING = "runbot doesn't keep your questions."
STATS_TITLE = "runbot since start"
RELOADED_TITLE = "Knowledge reloaded"
NOT_RELOADED_TITLE = "Knowledge NOT reloaded"
GAPS_TITLE = "Questions runbot could not answer well, last {days}"
NO_GAPS = "No unanswered questions in the last {days}."
GAPS_FOOTER = "Most asked first."

HELPFUL = "Helpful"
NOT_HELPFUL = "Not helpful"
OUT_OF_DATE = "That menu is out of date: use /topics again."
FORM_OUT_OF_DATE = "That form is out of date: nothing was sent."
ENTRY_GONE = (
    "That question is no longer in runbot's knowledge (it was updated). Please ask again with /ask."
)

REMOVE_AND_RELOAD = "Yes, remove them"
KEEP_SERVING = "No, keep serving"

NOT_A_MODERATOR = "Sorry, /kb is for runbot's moderators on this server."
COMMAND_OUT_OF_DATE = (
    "That command has changed since Discord last updated its list. "
    "Please try again in a minute, or type / to see the current commands."
)
SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on runbot's side and it could not answer. "
    "Please try again; if it keeps happening, tell a moderator."
)

CHOOSE_ENTRY = "Choose entry"
UNDO = "Undo"
TEACH_GONE = "That gap report is out of date (runbot restarted): use /kb gaps again."
TEACH_WHICH = 'Teach "{question}" to which entry?'
TAUGHT = 'Taught "{question}" to `{entry}` ({where}).'
UNTAUGHT = 'Took "{question}" back out of `{entry}` ({where}).'
NOT_TAUGHT = "Not taught"
NOT_UNDONE = "Not undone"

# Ask a moderator (RUNBOT_ASK_A_HUMAN); the words both platforms share are in bot.messages.
ASK_MODERATOR = "Ask a moderator"
HUMAN_CONSENT_TITLE = "Ask runbot's moderators?"
HUMAN_WHAT_THEY_SEE = "What the moderators will see"
HUMAN_FROM_A_SERVER = "a server channel"
HUMAN_FROM_A_DM = "a direct message"
HUMAN_EITHER_ORIGIN = "a server channel or a direct message on Discord"
HUMAN_REPLY_IN_CHANNEL = "Their reply will come in this channel, mentioning you."
HUMAN_REPLY_IN_DM = "Their reply will come here, in this direct message."
HUMAN_REPLY_BY_DM = (
    "You asked privately, so their reply will come to you by direct message (if you accept "
    "direct messages from this server's members)."
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
    "Could not deliver the reply: runbot may not post in the runner's channel, or the runner "
    "does not accept direct messages. The question is closed."
)
HUMAN_MODERATORS_ONLY = "Sorry, only runbot's moderators can answer or ignore runners' questions."
HELP_ASK_FIELD = "Asking a moderator"
