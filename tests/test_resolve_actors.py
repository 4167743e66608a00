"""The actor dictionary: mentions as written -> canonical actors, inter codes, the
article's context for "the army" and "the opposition", a user's extra file, and
ACLED's interaction codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from wirecoder.errors import ResourceError
from wirecoder.stages.resolve.actors import (
    ArticleContext,
    civilian_targeting,
    interaction_code,
    load_actor_dictionary,
    tokenize,
)
from wirecoder.records import Place

SYRIA = ArticleContext(focus_country="SY", countries=["SY"])

CASES = [
    # demonym + forces
    ("Syrian forces", SYRIA, True, "Military Forces of Syria", 1),
    # a unit of the army, inside a possessive phrase
    ("the Syrian military's pro-Iranian Fourth Division", SYRIA, True, "Military Forces of Syria", 1),
    # a leader's forces
    ("President Bashar al-Assad's forces", SYRIA, True, "Military Forces of Syria", 1),
    # "the army" takes the article's country
    ("the army", SYRIA, True, "Military Forces of Syria", 1),
    # "troops" too
    ("troops", SYRIA, True, "Military Forces of Syria", 1),
    # "government forces" too
    ("Government forces", SYRIA, True, "Military Forces of Syria", 1),
    # "the opposition" -> the article's opposition
    ("the opposition", SYRIA, True, "Opposition Rebels (Syria)", 2),
    # a demonym in the mention beats the article's country
    ("the Jordanian army", SYRIA, True, "Military Forces of Jordan", 1),
    # police of a country
    ("Kenyan police", SYRIA, True, "Police Forces of Kenya", 1),
    # the many names of the Islamic State
    ("Daesh", SYRIA, True, "Islamic State (IS)", 2),
    # acronyms match case-sensitively: "IS" the group
    ("IS militants", SYRIA, True, "Islamic State (IS)", 2),
    # Houthis
    ("Houthi rebels", None, True, "Houthi Movement (Ansar Allah)", 2),
    # RSF
    ("the paramilitary Rapid Support Forces", None, True, "Rapid Support Forces (RSF)", 2),
    # Boko Haram
    ("Boko Haram insurgents", None, True, "Boko Haram (JAS)", 2),
    # a militia class
    ("Iranian-financed local militias", SYRIA, True, "Pro-Iran Militias", 3),
    # gunmen -> unidentified armed group of the article's country
    ("unidentified gunmen", SYRIA, True, "Unidentified Armed Group (Syria)", 3),
    # civilians
    ("villagers", SYRIA, True, "Civilians (Syria)", 7),
    # protesters
    ("demonstrators", SYRIA, False, "Protesters (Syria)", 6),
    # a country in a violent event: its military
    ("Israel", None, True, "Military Forces of Israel", 1),
    # a country in a political event: its government
    ("the United States", None, False, "Government of United States", 1),
    # "U.S." with dots
    ("U.S. forces", None, True, "Military Forces of United States", 1),
    # an unknown group is kept as written
    ("the Sanaa Brigade", None, True, "Sanaa Brigade", 3),
    # a class with no country known anywhere drops the country
    ("civilians", None, True, "Civilians", 7),
]


@pytest.fixture(scope="module")
def actors(settings: Any) -> Any:
    return load_actor_dictionary(settings)


@pytest.mark.parametrize("text,context,violent,name,inter", CASES, ids=[c[0] for c in CASES])
def test_resolve_mention(text: str, context: ArticleContext | None, violent: bool, name: str, inter: int,
                         actors: Any) -> None:
    resolved = actors.resolve(text, context, violent)
    assert (resolved.name, resolved.inter) == (name, inter)


def test_unit_is_kept(actors: Any) -> None:
    assert actors.resolve("the Fourth Division", SYRIA, True).unit == "Fourth Division"


def test_lowercase_is_is_not_the_islamic_state(actors: Any) -> None:
    # "is" and "us" are words, not the Islamic State and the United States
    assert all(m.entry.name != "Islamic State (IS)" for m in actors.matches("what is left of us"))


def test_article_context_from_places() -> None:
    places = [
        Place(text="Jordan", start=0, end=6, kind="country", country_code="JO"),
        Place(text="Daraa", start=10, end=15, kind="city", country_code="SY"),
        Place(text="Nawa", start=20, end=24, kind="city", country_code="SY"),
    ]
    # towns weigh more than a passing mention of a neighbour
    assert ArticleContext.from_places(places).focus_country == "SY"


def test_user_actor_file_extends_dictionary(settings: Any, tmp_path: Path) -> None:
    extra = tmp_path / "my_actors.jsonl"
    extra.write_text(json.dumps({"name": "Sanaa Brigade (Yemen)", "kind": "political_militia", "inter": 3,
                                 "country": "YE", "aliases": ["Sanaa Brigade", "the Brigade of Sanaa"]}) + "\n",
                     encoding="utf-8")
    custom = load_actor_dictionary(settings.replace("resolve", actors_file=str(extra)))
    resolved = custom.resolve("the Brigade of Sanaa", None, True)
    assert (resolved.name, resolved.inter, resolved.country) == ("Sanaa Brigade (Yemen)", 3, "YE")
    # the packaged dictionary is still there
    assert custom.resolve("Syrian forces", None, True).name == "Military Forces of Syria"


@pytest.mark.parametrize("content,message", [
    ("{not json\n", "not a JSON object"),  # broken line: file and line named
    ('{"aliases": ["x"]}\n', "needs \"name\" and \"kind\""),  # missing keys
])
def test_bad_user_actor_file_is_reported(settings: Any, tmp_path: Path, content: str, message: str) -> None:
    extra = tmp_path / "bad.jsonl"
    extra.write_text(content, encoding="utf-8")
    with pytest.raises(ResourceError, match=message) as info:
        load_actor_dictionary(settings.replace("resolve", actors_file=str(extra)))
    assert "bad.jsonl:1" in str(info.value)


def test_missing_user_actor_file_is_reported(settings: Any, tmp_path: Path) -> None:
    with pytest.raises(ResourceError, match="resolve.actors_file"):
        load_actor_dictionary(settings.replace("resolve", actors_file=str(tmp_path / "absent.jsonl")))


@pytest.mark.parametrize("inter1,inter2,code", [
    (1, 2, 12),  # state forces vs rebels
    (2, 1, 12),  # lower code first
    (1, 7, 17),  # state forces vs civilians
    (1, 8, 18),  # state forces vs external forces
    (3, 7, 37),  # political militia vs civilians
    (6, None, 60),  # protesters alone
    (None, None, None),  # no actor
    (1, 1, 11),  # state forces against state forces
])
def test_interaction_code(inter1: int | None, inter2: int | None, code: int | None) -> None:
    assert interaction_code(inter1, inter2) == code


def test_civilian_targeting() -> None:
    assert civilian_targeting(7) == "Civilian targeting"
    assert civilian_targeting(2) is None


@pytest.mark.parametrize("text,words", [
    ("U.S. forces", ["US", "forces"]),  # dots of an abbreviation dropped
    ("Assad's forces", ["Assad", "'s", "forces"]),  # the possessive apart
    ("pro-Iranian militias", ["pro", "Iranian", "militias"]),  # hyphens split
])
def test_tokenize(text: str, words: list[str]) -> None:
    assert tokenize(text) == words


def test_packaged_dictionary_is_well_formed() -> None:
    from importlib import resources

    lines = resources.files("wirecoder").joinpath("data/actors.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    actors = [r for r in records if "name" in r]
    assert len(actors) > 300
    for record in actors:
        assert record["kind"]
        assert record["kind"] == "country" or record.get("inter") in range(1, 9), record["name"]
