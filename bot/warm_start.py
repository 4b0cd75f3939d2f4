"""A warm start for `runbot ask`: the Brain it builds, kept on disk by what it is built from.

Reading the knowledge (YAML, validation) and building a Brain from it is most of answering
one question from a cold process. The Brain `runbot ask` builds (`one_shot`, before it has
answered anything) is pickled into the cache folder (RUNBOT_CACHE_DIR), and the next `ask`
with the same knowledge unpickles it instead: no YAML, no validation, no index to build.
The embedding model is not in the copy (a reference to the process's one embedder is), nor
are locks (new ones are made).

The key is a hash of the knowledge folder's name, every knowledge file's name and bytes,
runbot's code and data, and the Python and libraries that read and build them: any change
gives another key, so a stale copy is never read. A copy that is corrupt, truncated, or that
someone other than this user could have written is ignored and the Brain is built as usual;
so is a cache folder that cannot be written. Only a load that succeeded is kept: bad files
are read every time, and reported as load_knowledge reports them.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import pickle
import stat
import sys
import tempfile
import threading
import time
from importlib import util
from pathlib import Path
from types import MappingProxyType

from bot.answering import Brain
from bot.cycle_collector import collector_paused
from bot.knowledge.files import UnreadableError, read_knowledge_file
from bot.knowledge.knowledge_base import ENTRIES_DIR, RED_FLAGS_FILE, SOURCES_FILE, VOCABULARY_FILE
from bot.semantic import CachedEmbedder, shared_embedder

__all__ = ["one_shot_brain"]

log = logging.getLogger(__name__)

# Bumped when what is kept changes shape; a copy of another format is never unpickled.
_FORMAT = b"runbot one-shot brain 2\n"
_DIGEST_BYTES = hashlib.sha256().digest_size
_KEY_BYTES = 2 * _DIGEST_BYTES  # the key, in hex: a copy is read only under its own key
# A temporary file older than this was left by an `ask` that was killed while writing.
_ABANDONED_SECONDS = 60.0
_PREFIX, _SUFFIX = "brain-", ".pickle"
_CODE_DIR = Path(__file__).resolve().parent  # bot/: the code and data a Brain is built by
# What else a Brain's build depends on: each package's files are stamped by its __init__.
_LIBRARIES: tuple[str, ...] = ("numpy", "pydantic", "pydantic_core", "yaml", "tokenizers")
_LIBRARIES += ("wordllama", "Stemmer", "rapidfuzz")
_LOCK_TYPES = (type(threading.Lock()), type(threading.RLock()))


def one_shot_brain(directory: Path, cache_dir: Path) -> Brain:
    """Brain(load_knowledge(directory), one_shot=True), from the cache when it was built before."""
    key = _key(directory)
    if key is not None:
        brain = _read(cache_dir, key)
        if brain is not None:
            return brain
    from bot.knowledge.load import load_knowledge  # YAML, validation: only on a miss

    brain = Brain(load_knowledge(directory), one_shot=True)
    # Kept only if no file changed while it was read: the copy must be of the keyed bytes.
    if key is not None and _key(directory) == key:
        _write(cache_dir, key, brain)
    return brain


def _key(directory: Path) -> str | None:
    """A hash of what a load's result depends on; None if a file cannot be read (a load
    then reports it)."""
    digest = hashlib.sha256(_FORMAT + str(directory).encode() + b"\0")
    entries = directory / ENTRIES_DIR
    paths = [directory / name for name in (SOURCES_FILE, VOCABULARY_FILE, RED_FLAGS_FILE)]
    paths += sorted(entries.glob("*.yaml"))
    try:
        for part in (sys.version, *(_stamp(library) for library in _LIBRARIES)):
            digest.update(part.encode() + b"\0")
        for source in sorted(_CODE_DIR.rglob("*.py")):
            digest.update(source.relative_to(_CODE_DIR).as_posix().encode() + b"\0")
            digest.update(source.read_bytes() + b"\0")
        for data in sorted((_CODE_DIR / "data").iterdir()):
            digest.update(_file_stamp(data).encode() + b"\0")
        for path in paths:
            digest.update(path.relative_to(directory).as_posix().encode() + b"\0")
            digest.update(read_knowledge_file(path) + b"\0")
    except (OSError, UnreadableError):  # missing, unreadable, a pipe, too big: a load says so
        return None
    # A *.yml file is refused by a load, so its name is part of what the load made.
    for ignored in sorted(entries.glob("*.yml")):
        digest.update(ignored.name.encode() + b"\0yml\0")
    return digest.hexdigest()


def _stamp(library: str) -> str:
    """Which copy of a library is installed, without importing it (a reinstall rewrites it)."""
    spec = util.find_spec(library)
    if spec is None or spec.origin is None:
        return f"no {library}"
    return _file_stamp(Path(spec.origin))


def _file_stamp(path: Path) -> str:
    found = os.stat(path)
    return f"{path} {found.st_size} {found.st_mtime_ns}"


class _Pickler(pickle.Pickler):
    """Pickles a Brain without the embedding model, its locks or its read-only mappings."""

    def persistent_id(self, obj: object) -> object:
        if isinstance(obj, CachedEmbedder):
            if obj is not shared_embedder():  # only the process's own is found again
                raise pickle.PicklingError("a Brain with an embedder of its own")
            return "embedder"
        if isinstance(obj, _LOCK_TYPES):
            return "lock" if isinstance(obj, _LOCK_TYPES[0]) else "rlock"
        if isinstance(obj, MappingProxyType):
            return ("mapping", dict(obj))
        return None


class _Unpickler(pickle.Unpickler):
    def persistent_load(self, pid: object) -> object:
        if pid == "embedder":
            return shared_embedder()
        if pid == "lock":
            return threading.Lock()
        if pid == "rlock":
            return threading.RLock()
        if isinstance(pid, tuple) and len(pid) == 2 and pid[0] == "mapping":
            return MappingProxyType(pid[1])
        raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")


def _read(cache_dir: Path, key: str) -> Brain | None:
    """The Brain kept under `key`, or None if there is no sound copy of it there."""
    path = cache_dir / f"{_PREFIX}{key}{_SUFFIX}"
    if not _only_mine(cache_dir):  # another user could swap the files in it
        return None
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with open(descriptor, "rb") as file:
        found = os.fstat(descriptor)
        # Unpickling runs what the file says: only a file this user alone could write.
        if not stat.S_ISREG(found.st_mode) or not _written_by_me_alone(found):
            return None
        data = file.read()
    header = len(_FORMAT) + _KEY_BYTES + _DIGEST_BYTES
    # A sound copy of other knowledge, renamed to this key, is not this knowledge's.
    if not data.startswith(_FORMAT + key.encode()) or len(data) < header:
        return None
    payload = data[header:]
    if hashlib.sha256(payload).digest() != data[header - _DIGEST_BYTES : header]:
        log.debug("ignored a corrupt cache file %s", path)
        return None
    try:
        with collector_paused():
            brain = _Unpickler(io.BytesIO(payload)).load()
    except Exception:  # a class that changed shape and was not caught by the key, say
        log.debug("ignored an unreadable cache file %s", path, exc_info=True)
        return None
    return brain if isinstance(brain, Brain) else None


def _only_mine(folder: Path) -> bool:
    """Whether `folder` is a real folder that only this user can change."""
    try:
        found = os.stat(folder, follow_symlinks=False)
    except OSError:
        return False
    return stat.S_ISDIR(found.st_mode) and _written_by_me_alone(found)


def _written_by_me_alone(found: os.stat_result) -> bool:
    if found.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    return not hasattr(os, "getuid") or found.st_uid == os.getuid()


def _write(cache_dir: Path, key: str, brain: Brain) -> None:
    """Keep `brain` under `key`, replacing the copies of earlier knowledge; never raises."""
    temporary: str | None = None
    try:
        cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _only_mine(cache_dir):  # it would never be read: no point writing it
            return
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(brain)
        payload = buffer.getvalue()
        descriptor, temporary = tempfile.mkstemp(prefix=".brain-", dir=cache_dir)  # 0600
        with open(descriptor, "wb") as file:
            file.write(_FORMAT + key.encode() + hashlib.sha256(payload).digest() + payload)
        target = cache_dir / f"{_PREFIX}{key}{_SUFFIX}"
        os.replace(temporary, target)  # atomic: a reader sees the old copy or the new
        temporary = None
        for older in cache_dir.glob(f"{_PREFIX}*{_SUFFIX}"):
            if older != target:
                older.unlink(missing_ok=True)
        for abandoned in cache_dir.glob(".brain-*"):
            if time.time() - abandoned.stat().st_mtime > _ABANDONED_SECONDS:
                abandoned.unlink(missing_ok=True)
    except Exception as error:  # a copy that cannot be made only costs the next warm start
        log.debug("could not keep the knowledge in %s: %s", cache_dir, error)
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
