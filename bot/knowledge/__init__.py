"""The knowledge moderators write, and how runbot reads it.

    models.py          what moderators may write (pydantic), also behind the editors' schemas
    schema.py          the JSON Schemas editors read, generated from the models
    yaml_reading.py    YAML read safely, with the position of every value
    positions.py       where a document's values are written, worked out when asked for
    files.py           one knowledge file's bytes, read without blocking, within a limit
    error_wording.py   validation errors said in a moderator's words
    checks.py          errors across files (every load) and warnings (`runbot kb check`)
    knowledge_base.py  the loaded KnowledgeBase and where its parts are written
    load.py            load_knowledge: the files -> a KnowledgeBase, or every problem
    problems.py        Problem, at a Location (file, line, column)

This module re-exports the values. `load_knowledge` (bot.knowledge.load) and the checks
(bot.knowledge.checks) are imported from their own modules: they use bot.normalize, which
imports the models from here, so re-exporting them would be an import cycle.
"""

from bot.knowledge.knowledge_base import (
    ENTRIES_DIR,
    RED_FLAGS_FILE,
    SOURCES_FILE,
    VOCABULARY_FILE,
    KnowledgeBase,
    Topic,
)
from bot.knowledge.models import (
    ANSWER_MAX_CHARS,
    CAVEAT_MAX_CHARS,
    Caveat,
    EmergencyNumber,
    Entry,
    EntryFile,
    RedFlag,
    RedFlagFile,
    Source,
    SourceFile,
    SourceRef,
    VocabularyFile,
)
from bot.knowledge.problems import KnowledgeError, Location, Problem, problem_report

__all__ = [
    "ANSWER_MAX_CHARS",
    "CAVEAT_MAX_CHARS",
    "ENTRIES_DIR",
    "RED_FLAGS_FILE",
    "SOURCES_FILE",
    "VOCABULARY_FILE",
    "Caveat",
    "EmergencyNumber",
    "Entry",
    "EntryFile",
    "KnowledgeBase",
    "KnowledgeError",
    "Location",
    "Problem",
    "RedFlag",
    "RedFlagFile",
    "Source",
    "SourceFile",
    "SourceRef",
    "Topic",
    "VocabularyFile",
    "problem_report",
]
