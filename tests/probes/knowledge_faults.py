"""Figures for knowledge files that go wrong: a half-saved red_flags.yaml, merge keys, a
replaced folder, a pipe in entries/. Each measurement runs in a fresh Python process
importing runbot from this checkout, or from `--code DIR` (e.g. main, for the figures
before a change).

    python -m tests.probes.knowledge_faults [--code DIR]

Not a test: it prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]

# Each snippet prints one JSON object. They use only what every runbot version has.
HALF_SAVED = """
import json, re, shutil, sys, tempfile
from pathlib import Path
from bot.service import RunbotService
work = Path(tempfile.mkdtemp())
knowledge = Path(shutil.copytree(sys.argv[1], work / "knowledge"))
path = knowledge / "red_flags.yaml"
text = path.read_text(encoding="utf-8")
service = RunbotService(knowledge)
full = len(service.brain.knowledge.red_flags.red_flags)
ends = [m.end() for m in re.finditer("\\n", text)][:-1]
valid = fewer = fewest = 0
fewest = full
for end in ends:  # every line an editor writing in place may have reached
    path.write_text(text[:end], encoding="utf-8")
    result = service.reload()
    if result.ok or getattr(result, "removals", None):
        valid += 1
    served = len(service.brain.knowledge.red_flags.red_flags)
    if served < full:
        fewer += 1
        fewest = min(fewest, served)
    path.write_text(text, encoding="utf-8")
    service.reload()
print(json.dumps({"cuts": len(ends), "valid": valid, "served_fewer": fewer, "fewest": fewest, "full": full}))
"""

MERGE_KEYS = """
import io, json, logging, resource, shutil, sys, tempfile, time
from pathlib import Path
from bot.service import RunbotService
work = Path(tempfile.mkdtemp())
knowledge = Path(shutil.copytree(sys.argv[1], work / "knowledge"))
keys = int(sys.argv[2])
base = ", ".join(f"k{i}: x" for i in range(keys))
own = ", ".join(f"k{i}: y" for i in range(keys))
if sys.argv[3] == "merge":
    lines = [f"base: &base {{{base}}}", f"copy: {{<<: *base, {own}}}"]  # each key twice
else:  # the same keys written out twice, no merge key
    lines = [f"copy: {{{base}, {own}}}"]
vocabulary = knowledge / "vocabulary.yaml"
bomb = vocabulary.read_text(encoding="utf-8") + "\\n".join(lines) + "\\n"
service = RunbotService(knowledge)
log = io.StringIO()
handler = logging.StreamHandler(log)
logging.getLogger().addHandler(handler)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
vocabulary.write_text(bomb, encoding="utf-8")
started = time.perf_counter()
result = service.reload()
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"bytes": len(bomb), "ok": result.ok, "problems": len(result.problems),
    "seconds": round(seconds, 2), "peak_mb": round((peak - before) / 1024),
    "log_lines": log.getvalue().count("\\n")}))
"""

REPLACED = """
import asyncio, json, shutil, sys, tempfile, time
from pathlib import Path
from bot.reply import Question
from bot.service import RunbotService
from bot.watch import watch_knowledge
work = Path(tempfile.mkdtemp())
knowledge = Path(shutil.copytree(sys.argv[1], work / "knowledge"))
question = Question("what to do about a side stitch")
async def main():
    service = RunbotService(knowledge)
    stop = asyncio.Event()
    watcher = asyncio.create_task(watch_knowledge(service, stop=stop, debounce_ms=50))
    await asyncio.sleep(0.5)
    release = Path(shutil.copytree(sys.argv[1], work / "release-2"))
    knowledge.rename(work / "release-1")
    release.rename(knowledge)  # as a deploy swaps folders
    await asyncio.sleep(0.5)
    entries = knowledge / "entries" / "side-stitch.yaml"
    entries.write_text(entries.read_text().replace("The article suggests", "EDITED: the article suggests", 1))
    edited = time.monotonic()
    while time.monotonic() - edited < 10:
        if "EDITED" in service.answer(question).body:
            stop.set()
            return round(time.monotonic() - edited, 2)
        await asyncio.sleep(0.05)
    stop.set()
    return None
print(json.dumps({"reloaded_after_s": asyncio.run(main())}))
"""

PIPE = """
import json, os, shutil, sys, tempfile, threading, time
from pathlib import Path
from bot.service import RunbotService
work = Path(tempfile.mkdtemp())
knowledge = Path(shutil.copytree(sys.argv[1], work / "knowledge"))
service = RunbotService(knowledge)
fifo = knowledge / "entries" / "pipe.yaml"
os.mkfifo(fifo)
outcome = {}
def reload():
    started = time.monotonic()
    result = service.reload()
    outcome["seconds"] = round(time.monotonic() - started, 2)
    outcome["problems"] = [str(p) for p in result.problems]
thread = threading.Thread(target=reload, daemon=True)
thread.start()
thread.join(10)
outcome["blocked_10_s"] = thread.is_alive()
if thread.is_alive():
    os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    thread.join(5)
print(json.dumps(outcome))
"""


def run(snippet: str, code: Path | None, *arguments: str) -> dict[str, object]:
    environment = {**os.environ, "PYTHONPATH": str(code or PROJECT)}
    finished = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(snippet), *arguments],
        capture_output=True,
        text=True,
        env=environment,
        cwd="/",  # so that nothing but PYTHONPATH decides which runbot is imported
        timeout=600,
        check=False,
    )
    if finished.returncode != 0:
        return {"error": finished.stderr.strip().splitlines()[-1:]}
    result: dict[str, object] = json.loads(finished.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, help="import runbot from this checkout instead")
    parser.add_argument(
        "--merge-keys", type=int, default=9000, help="keys merged (9,000: a 180 KB file)"
    )
    options = parser.parse_args()
    code = options.code.resolve() if options.code else None
    knowledge = str((code or PROJECT) / "knowledge")
    print(f"runbot from {code or 'this checkout'}")
    print("half-saved red_flags.yaml (cut after each line):", run(HALF_SAVED, code, knowledge))
    keys = str(options.merge_keys)
    merge = run(MERGE_KEYS, code, knowledge, keys, "merge")
    print(f"a mapping merged in (<<: *base) under {keys} keys of its own:", merge)
    repeat = run(MERGE_KEYS, code, knowledge, keys, "repeat")
    print(f"{keys} keys written twice in one mapping:", repeat)
    print("folder replaced, then edited:", run(REPLACED, code, knowledge))
    print("a pipe in entries/, then a reload:", run(PIPE, code, knowledge))


if __name__ == "__main__":
    main()
