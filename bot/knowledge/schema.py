"""JSON Schemas for the knowledge files, generated from the models that validate them.

Editors with the YAML language server read the `# yaml-language-server: $schema=...` line
at the top of each knowledge file and complete and check fields as a moderator types.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from bot.knowledge.models import EntryFile, RedFlagFile, SourceFile, VocabularyFile

__all__ = ["SCHEMAS", "SCHEMA_DIR", "render_schemas", "schema_comment"]

SCHEMA_DIR = "schema"
# Knowledge file (glob, relative to the knowledge directory) -> schema file and model.
SCHEMAS: dict[str, tuple[str, type[BaseModel]]] = {
    "sources.yaml": ("sources.schema.json", SourceFile),
    "vocabulary.yaml": ("vocabulary.schema.json", VocabularyFile),
    "red_flags.yaml": ("red_flags.schema.json", RedFlagFile),
    "entries/*.yaml": ("entries.schema.json", EntryFile),
}


def render_schemas() -> dict[str, str]:
    """Schema file name -> its JSON text."""
    rendered = {}
    for name, model in SCHEMAS.values():
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
        schema.update(model.model_json_schema())
        rendered[name] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return rendered


def schema_comment(knowledge_file: Path, directory: Path) -> str:
    """The first line a knowledge file needs for editors to find its schema."""
    relative = knowledge_file.relative_to(directory)
    pattern = "entries/*.yaml" if relative.parent.name == "entries" else relative.as_posix()
    schema_name = SCHEMAS[pattern][0]
    prefix = "../" * (len(relative.parts) - 1)
    return f"# yaml-language-server: $schema={prefix}{SCHEMA_DIR}/{schema_name}"
