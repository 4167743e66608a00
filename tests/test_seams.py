"""The seams: parts chosen by name in the settings, found in the registry, whether built
in or added by another distribution through an entry point — an event classifier that
``wirecoder eval events --set code.classifier=NAME`` measures, a stage that
``pipeline.stages`` selects — and the checks that refuse a wrong name or a stage that
declares a field :class:`Document` does not have."""

from __future__ import annotations

import importlib
import json
import sys
import textwrap
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from wirecoder import registry
from wirecoder.cli import main
from wirecoder.errors import EXIT_OK, EXIT_USAGE, ConfigError
from wirecoder.pipeline import build_named, build_stages, check_order
from wirecoder.settings import load_settings

PLUGIN = "fake_wirecoder_plugin"

# The module of the stand-in distribution: what another package would ship.
PLUGIN_SOURCE = '''
from wirecoder.records import Event, Evidence
from wirecoder.stages.code.classify import NON_EVENT, Typing

CALLS = []  # sentences typed, to show the classifier was the one used


class KeywordClassifier:
    """Types a mention by one word of its sentence."""

    def __call__(self, mentions):
        typings = []
        for mention in mentions:
            text = mention.sent.text.lower()
            CALLS.append(mention.sent.text)
            if "clash" in text:
                typings.append(Typing("armed_clash", 0.9, "ASSAULT", 0.9))
            elif "march" in text:
                typings.append(Typing("peaceful_protest", 0.9, "PROTEST", 0.9))
            else:
                typings.append(Typing(NON_EVENT, 0.9, NON_EVENT, 0.9))
        return typings


def make_classifier(settings):
    return KeywordClassifier()


class HeadlineStage:
    """One event per article, its evidence the first paragraph."""

    requires = ("article",)
    assigns = ("events",)

    def __call__(self, document):
        first = document.article.paragraphs[0] if document.article.paragraphs else ""
        document.events.append(Event(id="headline-" + document.article.id, article_id=document.article.id,
                                     evidence=Evidence(first, 0, len(first)), plover_type="CONSULT"))
        return document


def make_stage(settings):
    return HeadlineStage()
'''

ENTRY_POINTS = f"""
[wirecoder.classifiers]
fake_keywords = {PLUGIN}:make_classifier

[wirecoder.stages]
fake.headline = {PLUGIN}:make_stage
"""

# A tiny evaluation folder with the shapes of ../shared/data/eval/events.
CASE_ROWS = [
    ("1", "Rebels clashed with government troops near the town on Monday.", "ARMED_CLASH"),
    ("2", "Thousands of farmers marched through the capital on Sunday.", "PEACE_PROTEST"),
    ("3", "Fighters clashed with soldiers at a checkpoint on Friday.", "ARMED_CLASH"),
]
CASE_LABELS = {"ARMED_CLASH": ["Battles", "Armed clash"], "PEACE_PROTEST": ["Protests", "Peaceful protest"],
               "DIPLO": [None, "unseen: Diplomatic event"]}
PLOVER_RECORDS = [
    {"id": "P-1", "event": "PROTEST", "source": [{"actorText": "Students", "code": "EDU"}],
     "text": "Students marched through the city on Tuesday."},
    {"id": "P-2", "event": "FIGHT", "source": [{"actorText": "Militants", "code": "REB"}],
     "text": "Militants clashed with the army in the north."},
]


def write_eval_data(root: Path) -> Path:
    events = root / "eval" / "events"
    events.mkdir(parents=True)
    lines = ["id\tEventSnippet\tSubType", *("\t".join(row) for row in CASE_ROWS)]
    (events / "case2021_task2_dev.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (events / "case2021_labels.json").write_text(json.dumps(CASE_LABELS), encoding="utf-8")
    (events / "plover_gsr_dev.json").write_text(json.dumps(PLOVER_RECORDS), encoding="utf-8")
    return root


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """A distribution installed on sys.path for this test: its module and its
    ``.dist-info`` with entry points, as ``pip install`` would leave them."""
    site = tmp_path / "site"
    dist_info = site / "fake_dist-0.1.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: fake-dist\nVersion: 0.1\n", encoding="utf-8")
    (dist_info / "entry_points.txt").write_text(ENTRY_POINTS, encoding="utf-8")
    (site / f"{PLUGIN}.py").write_text(textwrap.dedent(PLUGIN_SOURCE), encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    for kind in (registry.classifiers, registry.stages):
        kind.forget_entry_points()  # an earlier lookup read the groups without this distribution
    yield
    sys.modules.pop(PLUGIN, None)
    for kind in (registry.classifiers, registry.stages):
        kind.forget_entry_points()


def test_seams_classifier_from_an_entry_point_is_measured_by_eval_events(plugin, tmp_path: Path) -> None:
    data = write_eval_data(tmp_path / "data")
    result = CliRunner().invoke(main, ["eval", "events", "--data", str(data), "--set", "code.classifier=fake_keywords"])
    assert result.exit_code == EXIT_OK, result.output
    scores = json.loads(result.stdout)
    # the stand-in types by keyword, and these sentences are easy: every one right
    assert scores["case2021"]["rows_in_taxonomy"] == 3
    assert scores["case2021"]["weighted_f1"] == 1.0
    assert scores["plover"]["type_accuracy"] == 1.0
    calls = sys.modules[PLUGIN].CALLS  # type: ignore[attr-defined]
    assert any("farmers marched" in sentence for sentence in calls)


def test_seams_stage_from_an_entry_point_is_selected_by_pipeline_stages(plugin, tmp_path: Path) -> None:
    inputs = tmp_path / "in.jsonl"
    inputs.write_text(json.dumps({"id": "a1", "text": "Ministers met in Geneva."}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["code", str(inputs), "--set", 'pipeline.stages=["fake.headline"]'])
    assert result.exit_code == EXIT_OK, result.output
    line = json.loads(result.stdout)
    assert [e["id"] for e in line["events"]] == ["headline-a1"]
    assert "fake.headline" in registry.stages.names()


@pytest.mark.parametrize(("command", "override", "expected"), [
    # a classifier that no one registered: the choices are named
    (["eval", "events"], "code.classifier=no_such_model", "no classifier named 'no_such_model'; available: "),
    # a stage name misspelt in the pipeline
    (["code"], 'pipeline.stages=["testing.keywords", "geoparser"]', "no stage named 'geoparser'; available: "),
    # an executor that does not exist: the built-in ones are named
    (["code"], "pipeline.executor=spark", "no executor named 'spark'; available: dask, processes, serial"),
    # geoparse needs a stage the pipeline does not name
    (["geoparse"], 'pipeline.stages=["testing.keywords"]', "needs the stage 'geoparse'"),
])
def test_seams_unknown_name_exits_2_naming_the_choices(tmp_path: Path, command: list[str], override: str,
                                                       expected: str) -> None:
    inputs = tmp_path / "in.jsonl"
    inputs.write_text(json.dumps({"id": "a1", "text": "Rebels clashed with the army in Goma."}) + "\n")
    args = [*command, "--data", str(write_eval_data(tmp_path / "data"))] if command[0] == "eval" else [*command, str(inputs)]
    settings = ["--set", 'pipeline.stages=["testing.keywords"]'] if "executor" in override else []
    result = CliRunner().invoke(main, [*args, *settings, "--set", override])
    assert result.exit_code == EXIT_USAGE, result.output
    assert "ConfigError" in result.output and expected in result.output
    if "available" in expected and "executor" not in expected:
        assert ("linear" if "classifier" in expected else "nlp, resolve") in result.output
    assert "Traceback" not in result.output


def test_seams_pipeline_stages_setting_reads_a_list(tmp_path: Path) -> None:
    # from the command line, as JSON
    assert load_settings(overrides=['pipeline.stages=["nlp", "code"]']).pipeline.stages == ("nlp", "code")
    # from a user file, as a TOML array
    config = tmp_path / "w.toml"
    config.write_text('[pipeline]\nstages = ["testing.keywords"]\n', encoding="utf-8")
    assert load_settings(config).pipeline.stages == ("testing.keywords",)
    with pytest.raises(ConfigError, match="expected a list of str"):
        load_settings(overrides=["pipeline.stages=[1, 2]"])
    with pytest.raises(ConfigError, match="as a list"):
        load_settings(overrides=["pipeline.stages=nlp"])


class _Stage:
    def __init__(self, requires: object = (), assigns: object = ()) -> None:
        self.requires, self.assigns = requires, assigns

    def __call__(self, document):
        return document


@pytest.mark.parametrize(("stages", "message"), [
    # a field Document does not have, required
    ([_Stage(requires=("article", "sentences"))], "stage first requires 'sentences', which is not a field of Document"),
    # ... or assigned: a typo would otherwise pass every check after it
    ([_Stage(assigns=("event",))], "stage first assigns 'event', which is not a field of Document"),
    # a bare string is not a tuple of names (it would be read letter by letter)
    ([_Stage(requires="doc")], "stage first: requires must be a tuple of Document field names"),
    # real fields, in the wrong order: the order check stays
    ([_Stage(requires=("places",)), _Stage(assigns=("places",))], "stage first requires places, which no earlier"),
])
def test_seams_requires_and_assigns_are_document_fields(stages: list[_Stage], message: str) -> None:
    with pytest.raises(ConfigError) as error:
        check_order(stages, ["first", "second"][: len(stages)])
    assert message in str(error.value)
    assert "Document" in str(error.value) or "provide" in str(error.value)


def test_seams_requires_and_assigns_valid_pass() -> None:
    check_order([_Stage(assigns=("doc", "places")), _Stage(requires=("doc", "places"), assigns=("events",))])


def test_seams_a_registered_stage_with_a_wrong_field_is_refused_by_name() -> None:
    registry.stages.add("testing.bad_fields", lambda settings: _Stage(assigns=("colour",)), origin="tests.bad_fields")
    try:
        with pytest.raises(ConfigError, match=r"stage testing.bad_fields assigns 'colour'.*Document fields: article"):
            build_named(load_settings(), ["testing.keywords", "testing.bad_fields"])
    finally:
        registry.stages.discard("testing.bad_fields")


def test_seams_upto_cuts_the_pipeline() -> None:
    settings = load_settings(overrides=['pipeline.stages=["testing.keywords", "testing.keywords.slow"]'])
    assert len(build_stages(settings, upto="testing.keywords")) == 1
    assert len(build_stages(settings)) == 2
