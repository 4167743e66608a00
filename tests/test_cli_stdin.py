"""``wirecoder code`` and ``wirecoder geoparse`` read standard input when no INPUT is
given and stdin is not a terminal (``cat story.txt | wirecoder code``); on a terminal,
no INPUT is a usage error (exit 2) rather than a silent wait for typing."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from wirecoder import cli
from wirecoder.cli import main
from wirecoder.errors import EXIT_USAGE

LIGHT = ["--set", 'pipeline.stages=["testing.keywords"]']  # the rule-based stand-in: no models
STORY = "Fighting near Goma\n\nRebels clashed with the army in Goma on 2025-03-01.\n"


def test_code_reads_standard_input() -> None:
    result = CliRunner().invoke(main, ["code", *LIGHT, "--published", "2025-03-02"], input=STORY)
    assert result.exit_code == 0, result.stderr
    (line,) = result.stdout.splitlines()
    events = json.loads(line)["events"]
    assert [(e["sub_event_type"], e["location"]) for e in events] == [("Armed clash", "Goma")]


def test_code_reads_json_lines_snippets_from_standard_input() -> None:
    snippet = json.dumps({"id": "s1", "text": "Protesters gathered in Dael.", "published": "2025-03-02"})
    result = CliRunner().invoke(main, ["code", *LIGHT], input=snippet + "\n")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "s1"


def test_geoparse_reads_standard_input() -> None:
    result = CliRunner().invoke(main, ["geoparse", "--set", 'pipeline.stages=["nlp", "geoparse"]'],
                                input="Shelling in Kharkiv\n\nRussian drones struck Kharkiv, Ukraine, on Tuesday.\n")
    assert result.exit_code == 0, result.stderr
    places = json.loads(result.stdout)["places"]
    assert 706483 in {p["geonameid"] for p in places}  # 706483: Kharkiv


@pytest.mark.parametrize("command", ["code", "geoparse"])
def test_no_input_on_a_terminal_is_a_usage_error(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_stdin_is_terminal", lambda: True)
    result = CliRunner().invoke(main, [command, *LIGHT])
    assert result.exit_code == EXIT_USAGE
    assert "give INPUT" in result.stderr and f"| wirecoder {command}" in result.stderr


def test_run_still_requires_an_input() -> None:
    # a run writes a store: reading a terminal by accident must not start one
    result = CliRunner().invoke(main, ["run", *LIGHT], input=STORY)
    assert result.exit_code == EXIT_USAGE and "INPUT" in result.stderr
