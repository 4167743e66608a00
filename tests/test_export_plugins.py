"""Export formats are named parts: a package adds one through an entry point of the group
``wirecoder.export_formats``, and ``wirecoder export --format NAME`` writes it, with no
edit to wirecoder. Here the package is a real (if tiny) installed distribution in
tmp_path, found by importlib.metadata as pip's would be."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from wirecoder import registry
from wirecoder.cli import main
from wirecoder.records import Article, Document, Published, Source
from wirecoder.runner import store_document
from wirecoder.settings import Settings
from wirecoder.store import Store
from wirecoder.store.testing import KeywordCoder

STORIES = [
    # two reports of one clash in Dael: one merged event
    ("w1", "2025-03-04", "Rebels clashed with the army in Dael on Tuesday, and 3 soldiers were killed."),
    ("p1", "2025-03-05", "The army fought rebels in Dael on Tuesday."),
    # a protest in Goma: an event of its own
    ("g1", "2025-03-06", "Hundreds protest in Goma against the M23."),
]

WRITER = '''\
"""A stand-in export format: one line per event, tab-separated."""


def write_tsv(export, out):
    count = 0
    for event, extra in export.rows():
        out.write(f"{event.id}\\t{event.location}\\t{extra['n_reports']}\\n")
        count += 1
    return count
'''


@pytest.fixture()
def store(tmp_path: Path) -> Path:
    """A small store built with the rule-based stand-in coder (no models loaded)."""
    db = tmp_path / "w.db"
    settings = Settings()
    coder = KeywordCoder()
    with Store.open(db) as store:
        run_id = store.start_run(settings, ["stories"], "test")
        for article_id, published, text in STORIES:
            article = Article(id=article_id, source=Source(outlet="wire"), headline="H",
                              published=Published(published, "metadata"), paragraphs=[text])
            store_document(store, coder(Document(article=article)), settings.dedup, run_id=run_id)
        store.finish_run(run_id, {"articles": len(STORIES)})
    return db


@pytest.fixture()
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Install ``fake_dist`` (entry point ``tsv`` -> ``fake_tsv:write_tsv``) on sys.path."""
    site = tmp_path / "site"
    info = site / "fake_dist-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fake-dist\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[wirecoder.export_formats]\ntsv = fake_tsv:write_tsv\n", encoding="utf-8")
    (site / "fake_tsv.py").write_text(WRITER, encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    registry.export_formats.forget_entry_points()  # the registry read the groups before
    yield "tsv"
    monkeypatch.undo()
    sys.modules.pop("fake_tsv", None)
    registry.export_formats.forget_entry_points()


def test_export_plugin_format_through_entry_point(store: Path, plugin: str, tmp_path: Path) -> None:
    assert plugin in registry.export_formats.names()
    out = tmp_path / "events.tsv"
    result = CliRunner().invoke(main, ["export", "--db", str(store), "--format", plugin, "--output", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert sorted(line.split("\t")[1:] for line in lines) == [["Dael", "2"], ["Goma", "1"]]
    provenance = json.loads(Path(f"{out}.provenance.json").read_text())
    assert provenance["format"] == "tsv" and provenance["count"] == 2
    # a format without the ``acled`` mark holds PLOVER-only events, like jsonl
    assert provenance["plover_only_included"] is True


def test_export_plugin_format_listed_in_help(store: Path, plugin: str) -> None:
    result = CliRunner().invoke(main, ["export", "--help"])
    assert result.exit_code == 0 and plugin in result.output


def test_export_unknown_format_lists_the_registered_ones(store: Path) -> None:
    result = CliRunner().invoke(main, ["export", "--db", str(store), "--format", "nope"])
    assert result.exit_code != 0
    for name in ("acled-csv", "geojson", "jsonl", "parquet"):
        assert name in result.output


def test_export_builtin_formats_are_registered() -> None:
    registry.export_formats.forget_entry_points()
    assert {"acled-csv", "geojson", "jsonl", "parquet"} <= set(registry.export_formats.names())
