"""The examples a new user copies must work: ``examples/wirecoder.toml`` loads (and so
do the settings it shows commented out), and the README's "Adding your own actors" is
done here exactly as written there: its file, its settings, its command."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from wirecoder.cli import main
from wirecoder.settings import Settings, load_settings

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "wirecoder.toml"


def test_the_example_settings_file_loads_and_changes_what_it_says(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # its actors_file is relative to the checkout
    settings = load_settings(EXAMPLE)
    defaults = Settings()
    assert settings.store.path == "conflict.db" != defaults.store.path
    assert settings.code.min_confidence == 0.5 != defaults.code.min_confidence
    assert settings.dedup.window_days == 3 != defaults.dedup.window_days
    assert Path(settings.resolve.actors_file).is_file()


def test_the_settings_shown_commented_out_are_valid_too() -> None:
    # "# key = value" lines under a [section]: each must be a real key with a value of its type
    section, overrides = None, []
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        if re.fullmatch(r"\[\w+\]", line):
            section = line.strip("[]")
        elif match := re.fullmatch(r"# (\w+) = (.+)", line):
            assert section, line
            overrides.append(f"{section}.{match[1]}={match[2].strip(chr(34))}")
    assert len(overrides) >= 4
    load_settings(EXAMPLE, overrides)  # raises ConfigError on an unknown key or a wrong type


def readme_section(title: str) -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index(title)
    end = text.find("\n#", start + len(title))
    return text[start:end if end != -1 else None]


def blocks(section: str) -> dict[str, str]:
    return {lang: body for lang, body in re.findall(r"```(\w+)\n(.*?)```", section, re.S)}


def test_the_example_actors_file_is_the_readmes() -> None:
    section = readme_section("**Adding your own actors.**")
    assert (REPO / "examples" / "my_actors.jsonl").read_text(encoding="utf-8") == blocks(section)["jsonl"]


def test_adding_your_own_actors_as_the_readme_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    section = readme_section("**Adding your own actors.**")
    code = blocks(section)
    monkeypatch.chdir(tmp_path)
    # "Save it as `my_actors.jsonl`" ... "Name the file in your settings (`wirecoder.toml`"
    Path(re.search(r"Save\s+it\s+as\s+`([^`]+)`", section)[1]).write_text(code["jsonl"], encoding="utf-8")
    Path(re.search(r"settings\s+\(`([^`]+)`", section)[1]).write_text(code["toml"], encoding="utf-8")
    # the command: echo "STORY" | wirecoder ARGS
    story, command = code["sh"].strip().split(" | ", 1)
    words = shlex.split(command)
    assert words[0] == "wirecoder"
    result = CliRunner().invoke(main, words[1:], input=shlex.split(story)[1] + "\n")
    assert result.exit_code == 0, result.stderr
    events = [e for line in result.stdout.splitlines() for e in json.loads(line)["events"]]
    actors = {e["sub_event_type"]: e["actor1"] for e in events}
    # "The attack's `actor1` is `Africa Corps` ... and the clash's is `Self-Defence Group of Sokoura`"
    claimed = re.search(r"attack's `actor1` is `([^`]+)`.*?clash's\s+is `([^`]+)`", section, re.S)
    assert (actors.get("Attack"), actors.get("Armed clash")) == (claimed[1], claimed[2])
    # "(without the file: `Wagner Group`)"
    without = re.search(r"without the file: `([^`]+)`", section)[1]
    plain = CliRunner().invoke(main, [w for w in words[1:] if w not in {"--config", "wirecoder.toml"}],
                               input=shlex.split(story)[1] + "\n")
    assert {e["sub_event_type"]: e["actor1"] for line in plain.stdout.splitlines()
            for e in json.loads(line)["events"]}.get("Attack") == without
