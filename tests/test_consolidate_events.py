"""The consolidate stage: the sentences of one article that report one happening become
one event; different happenings stay apart. Events are built by hand (no model)."""

from __future__ import annotations

import pytest

from wirecoder.records import Article, Document, Event, Evidence
from wirecoder.settings import Settings
from wirecoder.stages.consolidate import Consolidator

BATTLE = dict(disorder_type="Political violence", event_type="Battles", sub_event_type="Armed clash", plover_type="ASSAULT")
STRIKE = dict(disorder_type="Political violence", event_type="Explosions/Remote violence",
              sub_event_type="Air/drone strike", plover_type="ASSAULT")
ARREST = dict(disorder_type="Strategic developments", event_type="Strategic developments", sub_event_type="Arrests",
              plover_type="COERCE")
STATEMENT = dict(plover_type="ACCUSE")
HELMAND = dict(iso="AF", country="Afghanistan", admin1="Helmand", location="Lashkar Gah", geonameid=1134720,
               geo_precision=1)
HELMAND_FOCUS = dict(iso="AF", country="Afghanistan", admin1="Helmand", location="Helmand", geonameid=1140043,
                     geo_precision=3)
KANDAHAR = dict(iso="AF", country="Afghanistan", admin1="Kandahar", location="Kandahar", geonameid=1138336,
                geo_precision=1)


def event(n: int, **fields) -> Event:
    """The n-th sentence's event; each sentence is 100 characters long."""
    values = dict(event_date="2012-03-04", time_precision=1, modality="asserted", confidence=0.8)
    values.update(fields)
    return Event(id=f"e{n}", article_id="a", evidence=Evidence(f"sentence {n}", 100 * n, 100 * n + 90), **values)


def consolidate(*events: Event) -> list[Event]:
    document = Document(article=Article(id="a", paragraphs=["x"]), events=list(events))
    return Consolidator(Settings())(document).events


@pytest.mark.parametrize("events, expected_count", [
    # the lede and a later sentence retell one clash: one event
    ([event(0, **BATTLE, **HELMAND, actor1="Military Forces of Afghanistan", fatalities=3),
      event(1, **BATTLE, **HELMAND_FOCUS, actor1="Unidentified Armed Group (Afghanistan)", fatalities=3)], 1),
    # a strike and the deaths it caused, told in two sentences: one event
    ([event(0, **STRIKE, **HELMAND, actor1="International Coalition Forces"),
      event(1, **BATTLE, **HELMAND_FOCUS, fatalities=4)], 1),
    # two clashes in two towns named by the text stay two
    ([event(0, **BATTLE, **HELMAND), event(1, **BATTLE, **KANDAHAR)], 2),
    # two different days stay two
    ([event(0, **BATTLE, **HELMAND), event(1, **BATTLE, **HELMAND, event_date="2012-03-01")], 2),
    # an arrest is not the clash beside it
    ([event(0, **BATTLE, **HELMAND), event(1, **ARREST, **HELMAND)], 2),
    # two named perpetrators with nothing in common stay two
    ([event(0, **BATTLE, **HELMAND, actor1="Taliban", actor2="Military Forces of Afghanistan"),
      event(1, **BATTLE, **HELMAND, actor1="Islamic State", actor2="Hezb-e-Islami")], 2),
    # a historical mention never merges with the current happening
    ([event(0, **BATTLE, **HELMAND), event(1, **BATTLE, **HELMAND, modality="historical")], 2),
    # statements merge only with the same PLOVER type
    ([event(0, **STATEMENT, actor1="Government of Afghanistan"),
      event(1, **STATEMENT, actor1="Government of Afghanistan"), event(2, plover_type="REQUEST")], 2),
])
def test_consolidate_groups_happenings(events, expected_count):
    assert len(consolidate(*events)) == expected_count


def test_consolidate_merged_event_takes_best_fields():
    merged, = consolidate(
        event(0, **BATTLE, **HELMAND_FOCUS, actor1="Unidentified Armed Group (Afghanistan)", fatalities=3,
              time_precision=2, event_date="2012-03-05"),
        event(1, **STRIKE, **HELMAND, actor1="International Coalition Forces", actor2="Taliban", inter1=8, inter2=2,
              fatalities=2),
        event(2, **BATTLE, **HELMAND_FOCUS, fatalities=3),
    )
    assert merged.id == "e0"  # the lede's id and evidence, stable across runs
    assert merged.sub_event_type == "Air/drone strike"  # the mechanism names the happening
    assert merged.actor1 == "International Coalition Forces" and merged.actor2 == "Taliban"
    assert merged.interaction == 28
    assert merged.location == "Lashkar Gah" and merged.geo_precision == 1
    assert merged.event_date == "2012-03-04" and merged.time_precision == 1
    assert merged.fatalities == 3  # the largest single toll, never the sum of retellings
    assert [m.start for m in merged.mentions] == [0, 100, 200]


def test_consolidate_single_event_lists_its_own_sentence():
    alone, = consolidate(event(0, **BATTLE, **HELMAND))
    assert alone.mentions == [alone.evidence]
