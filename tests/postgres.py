"""A throwaway PostgreSQL server for tests and the bench: initdb in a temporary folder,
listening on a unix socket there only, trust authentication, removed when stopped.

Debian's `postgresql` package provides initdb and pg_ctl (on PATH, or under
/usr/lib/postgresql/*/bin). PostgreSQL refuses to run as root: as root, the server runs
as the `postgres` user, in a folder given to it.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg

__all__ = ["PostgresServer", "missing_postgres", "temporary_postgres"]

_USER = "runbot"


def _binaries() -> Path | None:
    found = shutil.which("initdb")
    if found is not None and shutil.which("pg_ctl") is not None:
        return Path(found).resolve().parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    return None


def missing_postgres() -> str | None:
    """Why no temporary server can be started here, or None if one can."""
    if _binaries() is None:
        return (
            "PostgreSQL's initdb and pg_ctl were not found (on PATH or under "
            "/usr/lib/postgresql/*/bin): install Debian's postgresql package"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root, and there is no `postgres` user to run the server as"
    return None


@dataclass(frozen=True)
class PostgresServer:
    folder: Path  # the data and the socket

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{_USER}@/{database}?host={self.folder}"

    def new_database(self) -> str:
        """The URL of a new, empty database on this server."""
        name = f"test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextlib.contextmanager
def temporary_postgres() -> Iterator[PostgresServer]:
    """Start a server in a new temporary folder; stop it and remove the folder afterwards."""
    binaries = _binaries()
    assert binaries is not None, missing_postgres()
    # Not under pytest's tmp_path: its parents are root's alone, and the server runs as postgres.
    folder = Path(tempfile.mkdtemp(prefix="runbot-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        os.chown(folder, pwd.getpwnam("postgres").pw_uid, -1)
    try:
        subprocess.run(
            _as_server_user(
                [
                    *(str(binaries / "initdb"), "-D", str(data), "-U", _USER, "--auth=trust"),
                    *("--no-sync", "--encoding=UTF8", "--no-instructions"),
                ]
            ),
            check=True,
            capture_output=True,
            text=True,
        )
        options = f"-c listen_addresses='' -k {folder} -c fsync=off -c full_page_writes=off"
        subprocess.run(
            _as_server_user(
                [
                    *(str(binaries / "pg_ctl"), "-D", str(data), "-l", str(folder / "log")),
                    *("-o", options, "-w", "start"),
                ]
            ),
            check=True,
            capture_output=True,
            text=True,
        )
        try:
            yield PostgresServer(folder)
        finally:
            subprocess.run(
                _as_server_user([str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                capture_output=True,
                check=False,
            )
    except subprocess.CalledProcessError as error:
        raise AssertionError(
            f"PostgreSQL would not start:\n{error.stdout}\n{error.stderr}"
        ) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
