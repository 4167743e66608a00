"""Cross-article event merging (stages/dedup.py) on hand-built events: the score's
parts and vetoes, the merged fields, and the one-to-one assignment."""

from __future__ import annotations

import dataclasses

import pytest

from wirecoder.records import Event, Evidence
from wirecoder.settings import DedupSettings
from wirecoder.stages.dedup import Candidate, Report, assign, combine, score

SETTINGS = DedupSettings(window_days=2, max_distance_km=10.0, min_score=0.6)
ARMY = "Military Forces of Syria (2000-)"
REBELS = "Opposition Rebels (Syria)"


def clash(id: str = "e1", article: str = "a1", **changes: object) -> Event:
    base = Event(
        id=id, article_id=article, evidence=Evidence(f"sentence of {id}", 0, 10),
        event_date="2025-03-04", time_precision=1, disorder_type="Political violence",
        event_type="Battles", sub_event_type="Armed clash", actor1=ARMY, inter1=1, actor2=REBELS, inter2=2,
        interaction=12, country="Syria", iso="SY", admin1="Daraa", location="Dael", geonameid=170959,
        latitude=32.755, longitude=36.130, geo_precision=1, fatalities=0, confidence=0.7,
    )
    return dataclasses.replace(base, **changes)


def candidate(event: Event, published: str | None = "2025-03-05") -> Candidate:
    return Candidate(event=event, article_ids=frozenset({event.article_id}),
                     first_published=published, last_published=published)


@pytest.mark.parametrize(
    ("new", "published", "merges", "veto_part"),
    [
        # the same clash, same town and day, retold by another outlet
        (clash("n", "b"), "2025-03-05", True, None),
        # the same clash, a day later by the report's reckoning: inside the window
        (clash("n", "b", event_date="2025-03-05"), "2025-03-05", True, None),
        # three days apart: outside the 2-day window
        (clash("n", "b", event_date="2025-03-07"), "2025-03-07", False, "date"),
        # Jasem is ~27 km from Dael: two battles in two towns on one day stay two
        (clash("n", "b", location="Jasem", geonameid=165997, latitude=32.992, longitude=36.060), "2025-03-05",
         False, "place"),
        # only "in Daraa province" (its centre ~30 km away) against a town in it: compatible, weakly
        (clash("n", "b", location="Daraa", geonameid=170903, latitude=32.9, longitude=36.35, geo_precision=3),
         "2025-03-05", True, None),
        # ... but a province report of another province stays apart
        (clash("n", "b", location="Quneitra", admin1="Quneitra", geonameid=173334, latitude=33.0,
               longitude=35.85, geo_precision=3), "2025-03-05", False, "place"),
        # a few km apart (a village next to the town): the same place for dedup
        (clash("n", "b", location="near Dael", geonameid=1, latitude=32.78, longitude=36.15), "2025-03-05",
         True, None),
        # a protest is not a battle
        (clash("n", "b", event_type="Protests", sub_event_type="Peaceful protest"), "2025-03-05", False, "type"),
        # shelling in a clash is one happening told two ways, on the same known day
        (clash("n", "b", event_type="Explosions/Remote violence",
               sub_event_type="Shelling/artillery/missile attack"), "2025-03-05", True, None),
        # ... but not when the days differ
        (clash("n", "b", event_date="2025-03-05", event_type="Explosions/Remote violence",
               sub_event_type="Shelling/artillery/missile attack"), "2025-03-05", False, "type"),
        # different named actors: different fights
        (clash("n", "b", actor1="Hayat Tahrir al-Sham", actor2=None), "2025-03-05", False, "actors"),
        # the same actors in swapped roles (ACLED's order has no direction)
        (clash("n", "b", actor1=REBELS, actor2=ARMY), "2025-03-05", True, None),
        # one report names no actor: compatible
        (clash("n", "b", actor1=None, actor2=None), "2025-03-05", True, None),
        # an unidentified group identifies no one: compared as missing, not as a different actor
        (clash("n", "b", actor1="Unidentified Armed Group (Syria)", actor2=None), "2025-03-05", True, None),
        # no coordinates, same province, same actors and day: merges
        (clash("n", "b", latitude=None, longitude=None, geonameid=None, location=None), "2025-03-05", True, None),
        # no coordinates and no province: the same place cannot be established
        (clash("n", "b", latitude=None, longitude=None, geonameid=None, location=None, admin1=None),
         "2025-03-05", False, "place"),
        # a different country
        (clash("n", "b", iso="JO", country="Jordan"), "2025-03-05", False, "place"),
        # undated, but published the same day as the first report
        (clash("n", "b", event_date=None), "2025-03-05", True, None),
        # undated and published a week later
        (clash("n", "b", event_date=None), "2025-03-12", False, "date"),
        # undated and no publication date: nothing says it is the same day
        (clash("n", "b", event_date=None), None, False, "date"),
        # the same article: the coder already decided these are distinct
        (clash("n", "a1"), "2025-03-05", False, "events of one article"),
        # same army, another enemy named: weak on actors, still merges on place, date, type
        (clash("n", "b", actor2="Hayat Tahrir al-Sham"), "2025-03-05", True, None),
        # ... but not when only the province is known on one side
        (clash("n", "b", actor2="Hayat Tahrir al-Sham", latitude=None, longitude=None, geonameid=None,
               location=None),
         "2025-03-05", False, None),
        # statements: the same speaker to the same recipient on one day
        (clash("n", "b", event_type=None, sub_event_type=None, plover_type="ACCUSE"), "2025-03-05", False, "type"),
        # a historical mention is not another report of the happening
        (clash("n", "b", modality="historical"), "2025-03-05", False, "only asserted"),
    ],
)
def test_score_decides_merges(new: Event, published: str | None, merges: bool, veto_part: str | None) -> None:
    result = score(Report(new, published), candidate(clash()), SETTINGS)
    assert (not result.veto and result.total >= SETTINGS.min_score) is merges, result.to_dict()
    if veto_part:
        assert result.veto and result.veto.startswith(veto_part), result.to_dict()


STATEMENT = dict(event_type=None, sub_event_type=None, disorder_type=None, plover_type="ACCUSE",
                 location=None, geonameid=None, latitude=None, longitude=None, geo_precision=None)


@pytest.mark.parametrize(
    ("changes", "merges"),
    [
        # the same accusation by the same speaker against the same party, retold
        ({}, True),
        # the same speaker accusing someone else that day: another statement
        ({"actor2": "Government of Iran"}, False),
        # an unnamed speaker: too little to tell statements apart
        ({"actor1": None}, False),
        # strategic developments follow the same rule: two unattributed agreements stay two
        ({"event_type": "Strategic developments", "sub_event_type": "Agreement", "actor1": None}, False),
        ({"event_type": "Strategic developments", "sub_event_type": "Agreement"}, True),
    ],
)
def test_statements_need_same_speaker_and_recipient(changes: dict, merges: bool) -> None:
    kind = {k: v for k, v in changes.items() if k in ("event_type", "sub_event_type")}
    stored = candidate(clash(**{**STATEMENT, **kind}))
    result = score(Report(clash("n", "b", **{**STATEMENT, **changes}), "2025-03-05"), stored, SETTINGS)
    assert (not result.veto and result.total >= SETTINGS.min_score) is merges, result.to_dict()


def test_score_parts_are_named_and_weighted() -> None:
    result = score(Report(clash("n", "b"), "2025-03-05"), candidate(clash()), SETTINGS)
    assert set(result.parts) == {"type", "place", "date", "actors"}
    assert result.total == pytest.approx(1.0)
    assert all(result.reasons[p] for p in result.parts)


def test_combine_takes_best_supported_values() -> None:
    reports = [
        # coarse place (the province), the largest toll
        Report(clash("r1", "a1", location="Daraa", geonameid=170903, geo_precision=3, fatalities=6,
                     latitude=32.9, longitude=36.2, confidence=0.6), "2025-03-05"),
        # the town itself, a smaller toll: the most precise place and the conservative toll win
        Report(clash("r2", "a2", fatalities=4, confidence=0.9, assoc_actor_1="Iran-backed militias"), "2025-03-05"),
        # no toll given: silent, not a report of zero
        Report(clash("r3", "a3", fatalities=0, confidence=0.5, modality="claimed", attribution="the army"),
               "2025-03-04"),
    ]
    merged = combine(reports, "r1")
    assert merged.id == "r1"
    assert merged.location == "Dael" and merged.geo_precision == 1
    assert merged.fatalities == 4
    assert merged.modality == "asserted"
    assert merged.confidence == pytest.approx(0.9)
    assert merged.evidence.sentence == "sentence of r2"  # the most confident report's
    assert merged.sources == ["a3", "a1", "a2"]  # earliest published first
    assert merged.assoc_actor_1 == "Iran-backed militias"
    assert merged.article_id == "a3"


def test_combine_zero_toll_when_no_report_gives_one() -> None:
    merged = combine([Report(clash("r1", "a1")), Report(clash("r2", "a2"))], "r1")
    assert merged.fatalities == 0


def test_combine_single_report_is_unchanged() -> None:
    event = clash("r1", "a1", interaction=12)
    merged = combine([Report(event, "2025-03-05")], "r1")
    assert dataclasses.replace(merged, sources=[]) == dataclasses.replace(event, sources=[])
    assert merged.sources == ["a1"]


def test_assign_is_one_to_one_and_order_independent() -> None:
    stored = [candidate(clash("s1", "a1")), candidate(clash("s2", "a2", location="Jasem", geonameid=165997,
                                                               latitude=32.992, longitude=36.060))]
    new = [Report(clash("n1", "b", location="Jasem", geonameid=165997, latitude=32.992, longitude=36.060),
                  "2025-03-05"),
           Report(clash("n2", "b"), "2025-03-05"),
           Report(clash("n3", "b", latitude=32.756), "2025-03-05")]
    pairs = {r.event.id: (c.event.id if c else None) for r, c, _ in assign(new, stored, SETTINGS)}
    reversed_pairs = {r.event.id: (c.event.id if c else None)
                      for r, c, _ in assign(new[::-1], stored[::-1], SETTINGS)}
    assert pairs == reversed_pairs
    assert pairs["n1"] == "s2"
    # n2 and n3 both fit s1; only one may take it (the better: same geonameid), the other stays new
    assert pairs["n2"] == "s1"
    assert pairs["n3"] is None
