"""A normal (not editable) install: the wheel, in a fresh virtual environment, from any folder.

The wheel is built once per session without network (setuptools from the dev lock, no build
isolation). The new environment sees the dependencies already installed in this one through
a path file, so installing needs no package index either.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT

# What building the wheel reads; bot/_knowledge is made from knowledge/ (pyproject.toml).
SOURCES = ["pyproject.toml", "README.md", "LICENSE", "bot", "adapters", "knowledge"]


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Built from a copy, so that the build leaves nothing (build/, *.egg-info) in the checkout.
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        origin = PROJECT_ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(origin, source / name)
    dist = tmp_path_factory.mktemp("dist")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    build = [*pip, "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index"]
    subprocess.run([*build, "--wheel-dir", str(dist), str(source)], check=True)
    (built,) = dist.glob("runbot-*.whl")
    return built


@pytest.fixture(scope="session")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh venv with the wheel installed (and nothing editable)."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    new_site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # A plain path line: this venv's packages come after the wheel's, and .pth files there
    # (our own editable install's among them) are not run.
    (new_site / "dependencies.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8"
    )
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    install = [*pip, "--python", str(python), "install", "--quiet", "--no-deps", "--no-index"]
    subprocess.run([*install, str(wheel)], check=True)
    return venv / "bin"


def run(command: list[str], folder: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", ""), "RUNBOT_LOG_LEVEL": "WARNING"}
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=folder, check=check)


def test_the_wheel_carries_the_knowledge_and_the_licence(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())

    assert "bot/_knowledge/red_flags.yaml" in names
    assert "bot/_knowledge/entries/side-stitch.yaml" in names
    assert "adapters/telegram_bot/app.py" in names
    assert "adapters/discord_bot/client.py" in names
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)


def test_an_installed_runbot_answers_from_any_folder(installed: Path, tmp_path: Path) -> None:
    located = run([str(installed / "python"), "-c", "import bot; print(bot.__file__)"], tmp_path)
    assert located.stdout.startswith(str(installed.parent))  # not this checkout

    answered = run([str(installed / "runbot"), "ask", "who", "is", "anna", "weber"], tmp_path)

    assert answered.stdout.startswith("Who is Anna Weber?")


def test_an_installed_runbot_checks_its_shipped_knowledge(installed: Path, tmp_path: Path) -> None:
    checked = run([str(installed / "runbot"), "kb", "check", "--strict"], tmp_path)

    assert checked.stdout.startswith("OK: ")


def test_an_installed_runbot_keeps_its_database_in_the_working_folder(
    installed: Path, tmp_path: Path
) -> None:
    run([str(installed / "runbot"), "kb", "stats"], tmp_path)

    assert (tmp_path / "runbot.db").is_file()
    assert not list(installed.parent.rglob("runbot.db"))


def test_an_installed_runbot_says_where_the_evaluation_sets_are(
    installed: Path, tmp_path: Path
) -> None:
    evaluated = run([str(installed / "runbot"), "eval"], tmp_path, check=False)

    assert evaluated.returncode == 2
    assert evaluated.stderr.startswith(
        "runbot: eval: the evaluation sets come with runbot's source"
    )


def test_python_m_adapters_is_the_same_command(installed: Path, tmp_path: Path) -> None:
    for command in ([str(installed / "runbot")], [str(installed / "python"), "-m", "adapters"]):
        assert run([*command, "--version"], tmp_path).stdout == f"runbot {version('runbot')}\n"
