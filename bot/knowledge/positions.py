"""Where the values of one YAML document are written, worked out only when asked for."""

from __future__ import annotations

from bot.knowledge.problems import Location

__all__ = ["Positions", "YamlPath"]

# Keys and list indexes from a document's root to one value: ("entries", 0, "questions").
YamlPath = tuple[str | int, ...]


class Positions:
    """Where every value of one YAML document is written (a mapping's value: at its key).

    The table is built from the document's text the first time it is needed, so that files
    nobody asks about cost nothing; building it twice (two threads at once) gives the same
    table. (Apart from the YAML reader: a warm start, bot.warm_start, needs no
    YAML until a position is asked for.)
    """

    __slots__ = ("_table", "_text", "file")

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self._text = text
        self._table: dict[YamlPath, tuple[int, int]] | None = None

    def location(self, path: YamlPath) -> Location:
        """Where the deepest part of `path` that the document contains is written."""
        table = self._table
        if table is None:
            from bot.knowledge.yaml_reading import record_positions

            table = self._table = record_positions(self._text)
        for end in range(len(path), -1, -1):
            found = table.get(path[:end])
            if found:
                return Location(self.file, *found)
        return Location(self.file, 1, 1)
