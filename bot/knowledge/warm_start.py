"""A warm start for `runbot ask`: the validated knowledge files, kept on disk by content.

Reading the knowledge (YAML, validation, the checks across files) is a large part of
answering one question from a cold process. What a load made of files of these exact bytes,
read by this exact code, is kept in the cache folder (RUNBOT_CACHE_DIR), and the next load of
the same bytes assembles the KnowledgeBase from it instead. The key is a hash of every
knowledge file's name and bytes, of runbot's code and of the Python, pydantic and PyYAML that
read them: any change gives another key, so a stale copy is never read. A copy that is
corrupt, truncated, or that someone other than this user could have written is ignored and
the files are read as usual; so is a cache folder that cannot be written. Only a load that
succeeded is kept: bad files are read every time, and reported as load_knowledge reports them.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import stat
import sys
import tempfile
from importlib import util
from pathlib import Path

import pydantic
import pydantic_core

from bot.cycle_collector import collector_paused
from bot.knowledge.files import read_knowledge_file
from bot.knowledge.knowledge_base import (
    ENTRIES_DIR,
    RED_FLAGS_FILE,
    SOURCES_FILE,
    VOCABULARY_FILE,
    KnowledgeBase,
    KnowledgeFiles,
    assemble,
)

__all__ = ["load_knowledge_warm"]

log = logging.getLogger(__name__)

# Bumped when what is kept changes shape; a copy of another format is never unpickled.
_FORMAT = b"runbot knowledge cache 1\n"
_DIGEST_BYTES = hashlib.sha256().digest_size
_PREFIX, _SUFFIX = "knowledge-", ".pickle"
_CODE_DIR = Path(__file__).resolve().parent.parent  # bot/: the loader and what it uses


def load_knowledge_warm(directory: Path, cache_dir: Path) -> KnowledgeBase:
    """load_knowledge(directory), assembled from the cache when these files were read before."""
    key = _key(directory)
    if key is not None:
        files = _read(cache_dir / f"{_PREFIX}{key}{_SUFFIX}")
        if files is not None:
            with collector_paused():
                return assemble(directory, files)
    from bot.knowledge.load import load_knowledge_files  # YAML, checks: only on a miss

    files, knowledge = load_knowledge_files(directory)
    # Kept only if no file changed while it was read: the copy must be of the keyed bytes.
    if key is not None and _key(directory) == key:
        _write(cache_dir, key, files)
    return knowledge


def _key(directory: Path) -> str | None:
    """A hash of what a load's result depends on; None if a file cannot be read (a load
    then reports it)."""
    digest = hashlib.sha256(_FORMAT)
    entries = directory / ENTRIES_DIR
    paths = [directory / name for name in (SOURCES_FILE, VOCABULARY_FILE, RED_FLAGS_FILE)]
    paths += sorted(entries.glob("*.yaml"))
    try:
        for part in (sys.version, pydantic.VERSION, pydantic_core.__version__, _yaml_stamp()):
            digest.update(part.encode() + b"\0")
        for source in sorted(_CODE_DIR.rglob("*.py")):
            digest.update(source.relative_to(_CODE_DIR).as_posix().encode() + b"\0")
            digest.update(source.read_bytes() + b"\0")
        for path in paths:
            digest.update(path.relative_to(directory).as_posix().encode() + b"\0")
            digest.update(read_knowledge_file(path) + b"\0")
    except (OSError, ValueError):  # missing, unreadable, a pipe, too big (UnreadableError)
        return None
    # A *.yml file is refused by a load, so its name is part of what the load made.
    for ignored in sorted(entries.glob("*.yml")):
        digest.update(ignored.name.encode() + b"\0yml\0")
    return digest.hexdigest()


def _yaml_stamp() -> str:
    """PyYAML's version, without importing it (that is part of what a warm start saves)."""
    spec = util.find_spec("yaml")
    if spec is None or spec.origin is None:
        return "no yaml"
    found = os.stat(spec.origin)
    return f"{spec.origin} {found.st_size} {found.st_mtime_ns}"


def _read(path: Path) -> KnowledgeFiles | None:
    """The files kept at `path`, or None if there is no sound copy of them there."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with open(descriptor, "rb") as file:
        found = os.fstat(descriptor)
        # Unpickling runs what the file says: only a file this user alone could write.
        if not stat.S_ISREG(found.st_mode) or found.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return None
        if hasattr(os, "getuid") and found.st_uid != os.getuid():
            return None
        data = file.read()
    header = len(_FORMAT) + _DIGEST_BYTES
    if not data.startswith(_FORMAT) or len(data) < header:
        return None
    payload = data[header:]
    if hashlib.sha256(payload).digest() != data[len(_FORMAT) : header]:
        log.debug("ignored a corrupt knowledge cache file %s", path)
        return None
    try:
        with collector_paused():
            files = pickle.loads(payload)
    except Exception:  # a class that changed shape and was not caught by the key, say
        log.debug("ignored an unreadable knowledge cache file %s", path, exc_info=True)
        return None
    return files if isinstance(files, KnowledgeFiles) else None


def _write(cache_dir: Path, key: str, files: KnowledgeFiles) -> None:
    """Keep `files` under `key`, replacing the copies of earlier knowledge; never raises."""
    temporary: str | None = None
    try:
        payload = pickle.dumps(files, protocol=pickle.HIGHEST_PROTOCOL)
        cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=".knowledge-", dir=cache_dir)  # 0600
        with open(descriptor, "wb") as file:
            file.write(_FORMAT + hashlib.sha256(payload).digest() + payload)
        target = cache_dir / f"{_PREFIX}{key}{_SUFFIX}"
        os.replace(temporary, target)  # atomic: a reader sees the old copy or the new
        temporary = None
        for older in cache_dir.glob(f"{_PREFIX}*{_SUFFIX}"):
            if older != target:
                older.unlink(missing_ok=True)
    except (OSError, TypeError, pickle.PicklingError) as error:
        log.debug("could not keep the knowledge in %s: %s", cache_dir, error)
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
