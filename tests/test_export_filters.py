"""Export filters are checked against what exists: an unknown country, type or actor
is an error naming close matches (exit 2), never an empty file with exit 0; countries
are accepted as names and as ISO alpha-2, alpha-3 and numeric codes; ``%`` and ``_`` in
an actor filter are literal characters, not SQL wildcards."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from wirecoder.cli import main
from wirecoder.errors import EXIT_USAGE, FilterError
from wirecoder.filters import country_codes
from wirecoder.runner import run_pipeline
from wirecoder.settings import Settings
from wirecoder.store import Store
from wirecoder.store.query import EventQuery, like_literal
from wirecoder.store.testing import KeywordCoder

from test_run_pipeline import STORY, TWO_TOWNS, make_articles


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("filters") / "w.db"
    # the stand-in coder: clashes in Dael (Syria) and in Goma and Sake (DR Congo)
    run_pipeline(["test"], Settings(), db_path=str(path), stages=[KeywordCoder()],
                 articles=make_articles(STORY + TWO_TOWNS))
    return path


def export(db: Path, *args: str):
    return CliRunner().invoke(main, ["export", "--db", str(db), "--format", "acled-csv", *args])


def locations(result) -> list[str]:
    assert result.exit_code == 0, result.stderr
    return sorted(row["location"] for row in csv.DictReader(io.StringIO(result.stdout)))


@pytest.mark.parametrize("country", [
    "Syria", "syria", "SYRIA",  # the name, any case
    "SY", "sy",                 # ISO alpha-2
    "SYR", "syr",               # ISO alpha-3
    "760",                      # ISO numeric
])
def test_a_country_is_accepted_as_a_name_or_an_iso_code(db: Path, country: str) -> None:
    assert locations(export(db, "--country", country)) == ["Dael"]


def test_a_country_code_also_finds_events_stored_under_another_name(db: Path) -> None:
    # the stand-in stores "Democratic Republic of Congo"; GeoNames says "... of the Congo"
    assert locations(export(db, "--country", "COD")) == ["Goma", "Sake"]
    assert locations(export(db, "--country", "Democratic Republic of the Congo")) == ["Goma", "Sake"]


@pytest.mark.parametrize("args, message", [
    (["--country", "Sirya"], "--country 'Sirya' is not a country name or ISO code (did you mean Syria"),
    (["--country", "XX"], "--country 'XX' is not a country name or ISO code"),
    (["--type", "Batles"], "--type 'Batles' is not an event type, sub-event type or PLOVER type (did you mean Battles?)"),
    (["--type", "Armed clashes"], "(did you mean Armed clash?)"),
    (["--actor", "Rebbels"], "--actor 'Rebbels' is part of no actor's name in the store or the actor dictionary "
                             "(did you mean Rebels?)"),
])
def test_an_unknown_filter_value_is_an_error_with_close_matches(db: Path, args: list[str], message: str) -> None:
    result = export(db, *args)
    assert result.exit_code == EXIT_USAGE
    assert "FilterError" in result.stderr and message in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("args", [
    ["--type", "Riots"],                          # a type of the codebook with no event here
    ["--actor", "Military Forces of"],            # a part of a dictionary name, no event here
    ["--country", "Mali"],                        # a real country with no event here
])
def test_a_known_value_without_events_gives_an_empty_export(db: Path, args: list[str]) -> None:
    assert locations(export(db, *args)) == []


def test_known_actor_and_type_filters_select_their_events(db: Path) -> None:
    assert locations(export(db, "--actor", "rebels")) == ["Dael", "Goma", "Sake"]
    assert locations(export(db, "--type", "armed clash", "--country", "CD")) == ["Goma", "Sake"]


@pytest.mark.parametrize("pattern", ["%", "St_te", "_"])
def test_like_wildcards_in_an_actor_filter_are_literal(db: Path, pattern: str) -> None:
    with Store.open(db, readonly=True) as store:
        assert list(store.query(EventQuery(actor=(pattern,)))) == []
        assert len(list(store.query(EventQuery(actor=("State",))))) == 3


def test_wildcards_on_the_command_line_are_unknown_actors_not_everything(db: Path) -> None:
    result = export(db, "--actor", "%")
    assert result.exit_code == EXIT_USAGE and "--actor '%'" in result.stderr


def test_like_literal_escapes_the_escape_character_too() -> None:
    assert like_literal("50%_a\\b") == "50\\%\\_a\\\\b"


def test_country_codes_normalise_and_deduplicate() -> None:
    assert country_codes(["Syria", "SYR", "760", "Ukraine"]) == ("SY", "UA")
    with pytest.raises(FilterError, match="did you mean Ukraine"):
        country_codes(["Ukrain"])


@pytest.mark.parametrize("country", ["SYR", "760", "Syria", "sy"])
def test_event_query_itself_accepts_names_and_codes(db: Path, country: str) -> None:
    # the store's query (export, explain, the HTTP API) reads every form, not only export's
    with Store.open(db, readonly=True) as store:
        assert [r.event.location for r in store.query(EventQuery(country=(country,)))] == ["Dael"]
