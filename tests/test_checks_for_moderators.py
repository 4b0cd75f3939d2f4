"""The checks that guard moderators' edits: the pull-request workflow, its annotations, and
the pre-commit hook, as GitHub, git and a fresh clone run them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from adapters.cli import main
from bot.annotations import github_annotation
from bot.knowledge import Problem
from bot.settings import PROJECT_ROOT

WORKFLOW = PROJECT_ROOT / ".github" / "workflows" / "knowledge.yml"
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")


def workflow() -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return loaded


def steps_running(command: str) -> list[dict[str, Any]]:
    (job,) = workflow()["jobs"].values()
    return [step for step in job["steps"] if command in step.get("run", "")]


def test_the_workflow_runs_when_the_knowledge_changes() -> None:
    triggers = workflow()[True]  # YAML 1.1 reads the key `on` as true; GitHub reads "on"

    assert triggers["pull_request"]["paths"] == ["knowledge/**"]
    assert triggers["push"]["paths"] == ["knowledge/**"]
    assert workflow()["permissions"] == {"contents": "read"}


def test_the_workflow_installs_runbot_and_runs_the_moderators_checks() -> None:
    (job,) = workflow()["jobs"].values()
    uses = [step.get("uses", "").split("@")[0] for step in job["steps"]]

    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    assert float(job["steps"][1]["with"]["python-version"]) >= 3.11
    install, check, evaluate = (
        steps_running("make install"),
        steps_running("runbot kb check --strict --format github"),
        steps_running("runbot eval"),
    )
    assert len(install) == len(check) == len(evaluate) == 1
    order = [job["steps"].index(step[0]) for step in (install, check, evaluate)]
    assert order == sorted(order)


def test_make_install_and_check_strict_build_the_venv_on_a_fresh_clone(tmp_path: Path) -> None:
    # What the workflow and the pre-commit hook run, in a clone without .venv (dry run).
    for name in ("Makefile", "pyproject.toml", "requirements.lock", "requirements-dev.lock"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)

    for target in ("install", "check-strict"):
        planned = subprocess.run(
            ["make", "--no-print-directory", "-n", target],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "MAKEFLAGS": "", "MAKELEVEL": ""},
        ).stdout
        assert "-m venv .venv" in planned
        assert "install --progress-bar on -r requirements.lock" in planned
    assert planned.rstrip().endswith(".venv/bin/runbot kb check --strict")


def test_kb_check_annotates_a_broken_edit_on_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repository = tmp_path / "clone"
    (repository / ".git").mkdir(parents=True)
    knowledge = Path(shutil.copytree(PROJECT_ROOT / "knowledge", repository / "knowledge"))
    entries = knowledge / "entries" / "easing-a-cramp.yaml"
    text = entries.read_text(encoding="utf-8")
    entries.write_text(text.replace("    title: Stretching", "    titel: Stretching", 1), "utf-8")

    code = main(["--knowledge", str(knowledge), "kb", "check", "--strict", "--format", "github"])

    assert code == 1
    assert capsys.readouterr().out.splitlines()[:2] == [
        "::error file=knowledge/entries/easing-a-cramp.yaml,line=53,col=5::missing field 'title'",
        "::error file=knowledge/entries/easing-a-cramp.yaml,line=54,col=5::unknown field "
        "'titel': did you mean 'title'?",
    ]


def test_kb_check_annotates_warnings_as_warnings_and_strict_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repository = tmp_path / "clone"
    (repository / ".git").mkdir(parents=True)
    knowledge = Path(shutil.copytree(PROJECT_ROOT / "knowledge", repository / "knowledge"))
    sources = knowledge / "sources.yaml"
    unused = "  unused-study:\n    title: A study\n    author: Someone\n    publisher: A journal\n"
    sources.write_text(sources.read_text(encoding="utf-8") + unused, encoding="utf-8")
    line = sources.read_text(encoding="utf-8").count("\n") - 3

    code = main(["--knowledge", str(knowledge), "kb", "check", "--strict", "--format", "github"])

    assert code == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"::warning file=knowledge/sources.yaml,line={line},col=3::source 'unused-study' is "
        "never cited"
    )
    assert out[1].startswith("FAILED (--strict): 1 warning(s)")


def test_annotations_escape_what_would_end_them_early() -> None:
    problem = Problem("entries/a,b:c.yaml", 3, 1, "100% wrong\nsee: here")

    assert github_annotation(problem, "knowledge") == (
        "::error file=knowledge/entries/a%2Cb%3Ac.yaml,line=3,col=1::100%25 wrong%0Asee: here"
    )


def test_the_pre_commit_hook_is_valid_and_checks_the_knowledge(tmp_path: Path) -> None:
    config = PROJECT_ROOT / ".pre-commit-config.yaml"
    (hook,) = yaml.safe_load(config.read_text(encoding="utf-8"))["repos"][0]["hooks"]
    assert hook["entry"] == "make --no-print-directory check-strict"
    assert hook["files"] == "^knowledge/"

    subprocess.run([str(PRE_COMMIT), "validate-config", str(config)], check=True)
    # The hook as git would run it, on this checkout (whose .venv `make test` built).
    ran = subprocess.run(
        [str(PRE_COMMIT), "run", "runbot-kb-check", "--files", "knowledge/sources.yaml"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")},
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "runbot kb check --strict (knowledge files)" in ran.stdout
    assert "Passed" in ran.stdout
