"""The resolve stage's rules, one sentence each: actors (passive voice, "aided by",
symmetric clashes, generic "the army"), places (several places, containers, focus),
dates (with and without a publication date), fatalities (dozens, conflicting tolls,
enemy-loss claims, injuries) and notes.

Documents are built by hand: the text is parsed with the packaged spaCy model, and the
places and the event (type, evidence sentence) are set as geoparse and code would set
them, so that each case tests the resolver's logic alone.
"""

from __future__ import annotations

from typing import Any

import pytest

from wirecoder.records import Article, Document, Event, Evidence, Place, Published
from wirecoder.stages.nlp import Parser
from wirecoder.stages.resolve import ArgumentResolver

# name in the text -> (geonameid, kind, country, admin1, lat, lon)
PLACES: dict[str, tuple[int, str, str, str | None, float, float]] = {
    "Daraa": (170905, "city", "SY", "Daraa", 32.62, 36.10),
    "Dael": (170959, "city", "SY", "Daraa", 32.76, 36.13),
    "Jasem": (165997, "city", "SY", "Daraa", 32.99, 36.06),
    "Sanameen": (172469, "city", "SY", "Daraa", 33.07, 36.18),
    "Nawa": (166365, "city", "SY", "Daraa", 32.89, 36.04),
    "Daraa province": (170903, "admin1", "SY", "Daraa", 32.75, 36.25),
    "Aleppo": (170063, "city", "SY", "Aleppo", 36.20, 37.16),
    "Idlib": (169389, "city", "SY", "Idlib", 35.93, 36.63),
    "Hama": (170017, "city", "SY", "Hama", 35.13, 36.76),
    "Jordan": (248816, "country", "JO", None, 31.0, 36.0),
    "Russia": (2017370, "country", "RU", None, 60.0, 100.0),
    "Mosul": (99072, "city", "IQ", "Nineveh", 36.34, 43.13),
    "Baghdad": (98182, "city", "IQ", "Baghdad", 33.34, 44.40),
    "Sanaa": (71137, "city", "YE", "Amanat Al Asimah", 15.35, 44.21),
    "Mogadishu": (53654, "city", "SO", "Banaadir", 2.04, 45.34),
    "Khartoum": (379252, "city", "SD", "Khartoum", 15.55, 32.53),
    "Gaza": (281133, "city", "PS", "Gaza Strip", 31.50, 34.47),
    "Kabul": (1138958, "city", "AF", "Kabul", 34.53, 69.17),
    "Kunduz": (1135689, "city", "AF", "Kunduz", 36.73, 68.86),
    "Kunduz province": (1135690, "admin1", "AF", "Kunduz", 36.75, 68.75),
    "Borno": (2346794, "admin1", "NG", "Borno", 11.5, 13.0),
    "Nigeria": (2328926, "country", "NG", None, 10.0, 8.0),
    "Zamfara": (2595349, "admin1", "NG", "Zamfara", 12.17, 6.25),
    "Goma": (215605, "city", "CD", "North Kivu", -1.68, 29.22),
    "Turkey": (298795, "country", "TR", None, 39.0, 35.0),
    "Iraq": (99237, "country", "IQ", None, 33.0, 44.0),
}

PUB = "2021-07-27"  # a Tuesday


@pytest.fixture(scope="module")
def parser(settings: Any) -> Parser:
    return Parser(settings)


@pytest.fixture(scope="module")
def resolver(settings: Any) -> ArgumentResolver:
    return ArgumentResolver(settings)


def build(parser: Parser, text: str, places: list[str], event_type: str | None, sub: str | None,
          published: str | None, sentence: int = -1, modality: str = "asserted") -> Document:
    """A Document as geoparse + code leave it: ``places`` are names from PLACES found in
    the text in order ("Daraa#2" is the second "Daraa"); the event is in sentence
    ``sentence`` (last by default)."""
    article = Article(id="case", paragraphs=[text], published=Published(date=published, how="cli" if published else None))
    document = parser(Document(article=article))
    for spec in places:
        name, _, nth = spec.partition("#")
        mention = name
        start = -1
        for _ in range(int(nth or 1)):
            start = text.find(mention, start + 1)
        assert start >= 0, f"{mention!r} not in {text!r}"
        geonameid, kind, cc, admin1, lat, lon = PLACES[name]
        document.places.append(Place(text=mention, start=start, end=start + len(mention), geonameid=geonameid,
                                     name=name, kind=kind, country_code=cc, admin1=admin1,
                                     latitude=lat, longitude=lon, confidence=0.9))  # type: ignore[arg-type]
    sent = list(document.doc.sents)[sentence]
    document.events.append(Event(
        id="e1", article_id="case",
        evidence=Evidence(sentence=sent.text, start=sent.start_char, end=sent.end_char),
        event_type=event_type, sub_event_type=sub, modality=modality,  # type: ignore[arg-type]
        disorder_type="Political violence" if event_type in ("Battles", "Explosions/Remote violence", "Violence against civilians") else None,
    ))
    return document


BATTLE = ("Battles", "Armed clash")
SHELL = ("Explosions/Remote violence", "Shelling/artillery/missile attack")
AIR = ("Explosions/Remote violence", "Air/drone strike")
VAC = ("Violence against civilians", "Attack")
PROTEST = ("Protests", "Peaceful protest")
AGREEMENT = ("Strategic developments", "Agreement")
IED = ("Explosions/Remote violence", "Remote explosive/landmine/IED")

CASES: list[tuple[str, list[str], tuple[str, str], str | None, dict[str, Any]]] = [
    # 0 "aided by" -> associated actor; demonym -> state forces; weekday resolved
    ("Syrian forces aided by pro-Iranian militias shelled Daraa on Tuesday.", ["Daraa"], SHELL, PUB,
     {"actor1": "Military Forces of Syria", "assoc_actor_1": "Pro-Iran Militias", "geonameid": 170905,
      "event_date": "2021-07-27", "time_precision": 1, "geo_precision": 1}),
    # 1 passive voice: the by-agent acts; a unit resolves to its army; no death reported -> 0
    ("Dozens of missiles were fired into Daraa by the army's Fourth Division.", ["Daraa"], SHELL, PUB,
     {"actor1": "Military Forces of Syria", "fatalities": 0, "geonameid": 170905}),
    # 2 "backed by" on the agent, a named group as the target
    ("Rebels backed by Turkish troops attacked Kurdish fighters near Aleppo.", ["Aleppo"], BATTLE, PUB,
     {"actor1": "Opposition Rebels (Syria)", "assoc_actor_1": "Military Forces of Turkey",
      "actor2": "SDF: Syrian Democratic Forces", "interaction": 22}),
    # 3 "supported by" in commas; the target named inside a longer phrase
    ("Iraqi troops, supported by coalition aircraft, stormed an Islamic State hideout in Mosul.", ["Mosul"], BATTLE, PUB,
     {"actor1": "Military Forces of Iraq", "assoc_actor_1": "International Coalition Forces",
      "actor2": "Islamic State (IS)", "interaction": 12}),
    # 4 "X and Y clashed": both sides, state forces from the article's country
    ("Houthi rebels and government forces clashed in Sanaa.", ["Sanaa"], BATTLE, PUB,
     {"actor1": "Houthi Movement (Ansar Allah)", "actor2": "Military Forces of Yemen", "interaction": 12}),
    # 5 "clashes between X and Y"
    ("Heavy clashes between al-Shabaab and Somali troops erupted in Mogadishu.", ["Mogadishu"], BATTLE, PUB,
     {"actor1": "al-Shabaab", "actor2": "Military Forces of Somalia"}),
    # 6 "the army" -> the article's state forces; "rebel positions" -> its opposition
    ("The army shelled rebel positions in Idlib.", ["Idlib"], SHELL, PUB,
     {"actor1": "Military Forces of Syria", "actor2": "Opposition Rebels (Syria)", "iso": "SY", "country": "Syria"}),
    # 7 "the opposition" -> the article's opposition; "army checkpoint" -> its army
    ("The opposition attacked an army checkpoint in Jasem.", ["Jasem"], BATTLE, PUB,
     {"actor1": "Opposition Rebels (Syria)", "actor2": "Military Forces of Syria", "geonameid": 165997}),
    # 8 an unknown armed group is kept as written, never dropped
    ("The Sanaa Brigade attacked a police station in Sanaa.", ["Sanaa#2"], BATTLE, PUB,
     {"actor1": "Sanaa Brigade", "actor2": "Police Forces of Yemen"}),
    # 9 gunmen -> unidentified armed group; villagers -> civilians; admin1 -> precision 3
    ("Gunmen killed three villagers in Zamfara.", ["Zamfara"], VAC, PUB,
     {"actor1": "Unidentified Armed Group (Nigeria)", "actor2": "Civilians (Nigeria)", "interaction": 37,
      "civilian_targeting": "Civilian targeting", "fatalities": 3, "geo_precision": 3}),
    # 10 protesters alone -> interaction 60, no fatalities for a peaceful protest
    ("Thousands of protesters marched in Khartoum.", ["Khartoum"], PROTEST, PUB,
     {"actor1": "Protesters (Sudan)", "interaction": 60, "fatalities": 0}),
    # 11 a protest with no named actor gets ACLED's default actor
    ("A demonstration against fuel prices took place in Khartoum on Monday.", ["Khartoum"], PROTEST, PUB,
     {"actor1": "Protesters (Sudan)", "event_date": "2021-07-26"}),
    # 12 a country as the agent of violence -> its military forces
    ("Israel struck targets in Gaza.", ["Gaza"], AIR, PUB,
     {"actor1": "Military Forces of Israel", "geonameid": 281133}),
    # 13 countries in a non-violent event -> their governments; "with" names the other party
    ("Turkey signed an agreement with Iraq in Baghdad.", ["Turkey", "Iraq", "Baghdad"], AGREEMENT, PUB,
     {"actor1": "Government of Turkey", "actor2": "Government of Iraq", "geonameid": 98182}),
    # 14 a pronoun agent is the reporting speaker; claim about enemy losses -> 0
    ("The army said it killed 30 militants in Idlib.", ["Idlib"], BATTLE, PUB,
     {"actor1": "Military Forces of Syria", "fatalities": 0}),
    # 15 a named group kills police: deaths counted
    ("Taliban fighters killed five policemen in Kunduz.", ["Kunduz"], BATTLE, PUB,
     {"actor1": "Taliban", "actor2": "Police Forces of Afghanistan", "fatalities": 5}),
    # 16 a toll for two towns: one event per town, 4 split 2 + 2
    ("At least four soldiers were killed in ambushes in the towns of Sanameen and Nawa.", ["Sanameen", "Nawa"], BATTLE, PUB,
     {"n": 2, "geonameids": [172469, 166365], "fatalities_list": [2, 2], "actor2": "Military Forces of Syria"}),
    # 17 a toll for three towns: 5 split 2 + 2 + 1, remainder to the first
    ("Airstrikes killed five people in Aleppo, Idlib and Hama.", ["Aleppo", "Idlib", "Hama"], AIR, PUB,
     {"n": 3, "geonameids": [170063, 169389, 170017], "fatalities_list": [2, 2, 1]}),
    # 18 the province containing the towns is not a place of its own
    ("Rebels attacked army outposts in Dael, Jasem and other towns across Daraa province.",
     ["Dael", "Jasem", "Daraa province"], BATTLE, PUB,
     {"n": 2, "geonameids": [170959, 165997]}),
    # 19 no place in the sentence: the article's focus town, precision 2
    ("Fighting raged in Daraa on Monday. Rebels attacked an army post.", ["Daraa"], BATTLE, PUB,
     {"geonameid": 170905, "geo_precision": 2}),
    # 20 an admin1 place -> precision 3, admin1 filled
    ("Jihadists attacked a village in Borno state.", ["Borno"], VAC, PUB,
     {"geonameid": 2346794, "geo_precision": 3, "admin1": "Borno"}),
    # 21 a country only -> precision 3
    ("Gunmen killed two farmers in Nigeria.", ["Nigeria"], VAC, PUB,
     {"geonameid": 2328926, "geo_precision": 3, "fatalities": 2, "country": "Nigeria", "iso": "NG"}),
    # 22 a country after "bordering" is not where it happened: the focus town is
    ("Clashes continued in Daraa. Troops attacked an enclave bordering Jordan.", ["Daraa", "Jordan"], BATTLE, PUB,
     {"geonameid": 170905, "geo_precision": 2}),
    # 23 a possessive country is an actor, not a place; the town is the place
    ("Russia's jets bombed Idlib.", ["Russia", "Idlib"], AIR, PUB,
     {"actor1": "Military Forces of Russia", "geonameid": 169389, "geo_precision": 1}),
    # 24 a town beats the province it lies in
    ("Missiles hit Nawa in Daraa province.", ["Nawa", "Daraa province"], SHELL, PUB,
     {"n": 1, "geonameid": 166365, "geo_precision": 1}),
    # 25 on Tuesday, published on a Tuesday -> that day
    ("Rebels attacked Dael on Tuesday.", ["Dael"], BATTLE, PUB,
     {"event_date": "2021-07-27", "date_text": "on Tuesday", "time_precision": 1}),
    # 26 on Monday, published on a Tuesday -> the day before
    ("Rebels attacked Dael on Monday.", ["Dael"], BATTLE, PUB,
     {"event_date": "2021-07-26", "time_precision": 1}),
    # 27 no publication date: the phrase is kept, no date invented
    ("Rebels attacked Dael on Tuesday.", ["Dael"], BATTLE, None,
     {"event_date": None, "date_text": "on Tuesday", "time_precision": None}),
    # 28 yesterday is one day
    ("Rebels attacked Dael yesterday.", ["Dael"], BATTLE, PUB,
     {"event_date": "2021-07-26", "time_precision": 1}),
    # 29 over the past 24 hours -> week precision
    ("Rebels attacked outposts in Dael over the past 24 hours.", ["Dael"], BATTLE, PUB,
     {"event_date": "2021-07-26", "time_precision": 2}),
    # 30 last week -> the Monday of the week before, precision 2
    ("Rebels attacked Dael last week.", ["Dael"], BATTLE, PUB,
     {"event_date": "2021-07-19", "time_precision": 2}),
    # 31 earlier this month -> month precision
    ("Rebels attacked Dael earlier this month.", ["Dael"], BATTLE, PUB,
     {"event_date": "2021-07-01", "time_precision": 3}),
    # 32 an explicit day and month, year from publication
    ("Rebels attacked Dael on July 20.", ["Dael"], BATTLE, PUB,
     {"event_date": "2021-07-20", "time_precision": 1}),
    # 33 an explicit full date resolves even without publication date
    ("Rebels attacked Dael on 20 July 2021.", ["Dael"], BATTLE, None,
     {"event_date": "2021-07-20", "time_precision": 1}),
    # 34 a year alone is never turned into a day
    ("Government forces retook Daraa province in 2018.", ["Daraa province"], ("Battles", "Government regains territory"), PUB,
     {"event_date": None, "date_text": "in 2018", "actor1": "Military Forces of Syria"}),
    # 35 no phrase, no publication date -> unknown date in the notes
    ("Rebels attacked an army post in Dael.", ["Dael"], BATTLE, None,
     {"event_date": None, "notes_start": "On an unknown date, Opposition Rebels (Syria) clashed with Military Forces of Syria in Dael"}),
    # 36 "dozens" -> 12; civilians as target
    ("Dozens of civilians were killed in an airstrike on Idlib.", ["Idlib"], AIR, PUB,
     {"fatalities": 12, "actor2": "Civilians (Syria)", "civilian_targeting": "Civilian targeting"}),
    # 37 conflicting figures -> the most conservative
    ("Police said five people died in the blast in Kabul, but hospital sources said eight were killed.", ["Kabul"], IED, PUB,
     {"fatalities": 5}),
    # 38 a party's claim about its enemy's losses alone -> 0
    ("The Taliban said its fighters killed 20 soldiers in Kunduz.", ["Kunduz"], BATTLE, PUB,
     {"fatalities": 0, "actor1": "Taliban"}),
    # 39 injuries are kept apart from deaths
    ("A car bomb killed 12 people and wounded 30 others in Mogadishu.", ["Mogadishu"], IED, PUB,
     {"fatalities": 12, "injuries": 30}),
    # 40 "tens" -> 10
    ("Tens of people were killed in fighting in Goma.", ["Goma"], BATTLE, PUB,
     {"fatalities": 10, "iso": "CD"}),
    # 41 injured only: no deaths
    ("Hundreds of protesters were injured when police fired tear gas in Khartoum.", ["Khartoum"],
     ("Protests", "Excessive force against protesters"), PUB,
     {"fatalities": 0, "injuries": 100}),
    # 42 "casualties" mixes dead and wounded: counts as neither
    ("Opposition shelling caused several casualties in Daraa.", ["Daraa"], SHELL, PUB,
     {"fatalities": 0, "injuries": None}),
    # 43 the notes say who, what, where, when and how many, from the fields alone
    ("Syrian forces shelled Daraa on Tuesday, killing two civilians.", ["Daraa"], SHELL, PUB,
     {"notes_start": "On 2021-07-27, Military Forces of Syria shelled or fired missiles at Civilians (Syria) in Daraa. 2 fatalities."}),
    # 45 the subject of "died" suffered the event: a target, not the attacker
    ("At least 21 passengers and four troops died in the attack near Sanaa.", ["Sanaa"], BATTLE, PUB,
     {"actor1": "Unidentified Armed Group (Yemen)", "actor2": "Civilians (Yemen)", "fatalities": 25}),
    # 46 a noun modifier names the attacker: "opposition shelling"
    ("The army said opposition shelling hit residential areas of Daraa.", ["Daraa"], SHELL, PUB,
     {"actor1": "Opposition Rebels (Syria)"}),
    # 47 a country's people as victims: its civilians
    ("Three Americans were killed by gunmen in Kabul.", ["Kabul"], VAC, PUB,
     {"actor2": "Civilians (United States)", "fatalities": 3, "civilian_targeting": "Civilian targeting"}),
    # 48 people who demonstrate are protesters
    ("Hundreds of residents protested in Khartoum on Monday.", ["Khartoum"], PROTEST, PUB,
     {"actor1": "Protesters (Sudan)", "inter1": 6}),
    # 44 a sentence with no figure: zero, and injuries unknown
    ("Turkish drones struck a PKK position in Iraq.", ["Iraq"], AIR, PUB,
     {"actor1": "Military Forces of Turkey", "actor2": "PKK: Kurdistan Workers' Party", "fatalities": 0, "injuries": None,
      "interaction": 12}),
]


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c[0][:48] for c in CASES])
def test_resolve_rule(index: int, parser: Parser, resolver: ArgumentResolver) -> None:
    text, places, (event_type, sub), published, expected = CASES[index]
    document = resolver(build(parser, text, places, event_type, sub, published))
    events = document.events
    if "n" in expected:
        assert len(events) == expected["n"], [e.geonameid for e in events]
    if "geonameids" in expected:
        assert [e.geonameid for e in events] == expected["geonameids"]
    if "fatalities_list" in expected:
        assert [e.fatalities for e in events] == expected["fatalities_list"]
    event = events[0]
    for key, value in expected.items():
        if key in ("n", "geonameids", "fatalities_list"):
            continue
        if key == "notes_start":
            assert event.notes is not None and event.notes.startswith(value), event.notes
            continue
        assert getattr(event, key) == value, f"{key}: {getattr(event, key)!r} != {value!r} ({event.notes})"


def test_split_events_get_distinct_stable_ids(parser: Parser, resolver: ArgumentResolver) -> None:
    text = "At least four soldiers were killed in ambushes in the towns of Sanameen and Nawa."
    first = resolver(build(parser, text, ["Sanameen", "Nawa"], *BATTLE, PUB)).events
    again = resolver(build(parser, text, ["Sanameen", "Nawa"], *BATTLE, PUB)).events
    assert len({e.id for e in first}) == 2
    assert [e.id for e in first] == [e.id for e in again]
    assert sum(e.fatalities for e in first) == 4


def test_on_tuesday_and_on_monday_against_a_tuesday(parser: Parser, resolver: ArgumentResolver) -> None:
    """Published 2021-07-27, a Tuesday: "on Tuesday" is that day, "on Monday" the day before."""
    tuesday = resolver(build(parser, "Rebels attacked Dael on Tuesday.", ["Dael"], *BATTLE, "2021-07-27")).events[0]
    monday = resolver(build(parser, "Rebels attacked Dael on Monday.", ["Dael"], *BATTLE, "2021-07-27")).events[0]
    assert (tuesday.event_date, tuesday.time_precision) == ("2021-07-27", 1)
    assert (monday.event_date, monday.time_precision) == ("2021-07-26", 1)


def test_document_without_events_is_untouched(parser: Parser, resolver: ArgumentResolver) -> None:
    document = parser(Document(article=Article(id="x", paragraphs=["Nothing happened."])))
    assert resolver(document).events == []


def test_event_without_parse_or_places_is_kept(resolver: ArgumentResolver) -> None:
    # no spaCy doc, no places, evidence offsets past the text: filled as far as honest, not crashed
    article = Article(id="bare", paragraphs=["Rebels attacked on Tuesday."], published=Published(date="2021-07-27"))
    event = Event(id="e", article_id="bare", evidence=Evidence("Rebels attacked on Tuesday.", 0, 27),
                  event_type="Battles", sub_event_type="Armed clash")
    document = resolver(Document(article=article, events=[event]))
    (only,) = document.events
    assert (only.event_date, only.geonameid, only.fatalities) == ("2021-07-27", None, 0)
    assert only.actor1 == "Unidentified Armed Group"
    assert only.notes and only.notes.startswith("On 2021-07-27, Unidentified Armed Group clashed")


def test_unreadable_publication_date_resolves_nothing(parser: Parser, resolver: ArgumentResolver) -> None:
    document = build(parser, "Rebels attacked Dael on Tuesday.", ["Dael"], *BATTLE, "sometime")
    (event,) = resolver(document).events
    assert (event.event_date, event.date_text) == (None, "on Tuesday")


def test_notes_carry_the_evidence_sentence_and_the_source(parser: Parser, resolver: ArgumentResolver) -> None:
    text = "Rebels attacked Dael on Tuesday."
    document = build(parser, text, ["Dael"], *BATTLE, PUB, modality="claimed")
    document.events[0].attribution = "The Syrian army"
    (event,) = resolver(document).events
    assert event.notes is not None
    assert "According to the Syrian army." in event.notes
    assert event.notes.endswith(f'Source sentence: "{text}"')


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        # a month years before the report: background retold, not a new event
        ("Kabul has been hit repeatedly by rockets since February 2018.", "historical"),
        # the same sentence dated by the report's own week stays current
        ("Rockets hit Kabul on Sunday.", "asserted"),
        # a durative reaching back years: the state of a long war, not its news
        ("Fighting around Kunduz has raged since 2015.", "historical"),
        # a bare year before the report's: the date stays unknown, the event is history
        ("Rockets hit Kabul in 2019.", "historical"),
        # three weeks back is late reporting of a real event, still current
        ("Rockets hit Kabul on July 6.", "asserted"),
    ],
)
def test_event_dated_long_before_the_report_is_historical(text: str, modality: str, parser: Parser,
                                                          resolver: ArgumentResolver) -> None:
    event = resolver(build(parser, text, [p for p in ("Kabul", "Kunduz") if p in text], *SHELL, PUB)).events[0]
    assert event.modality == modality, (event.event_date, event.date_text)


@pytest.mark.parametrize(
    ("text", "sub", "actor1"),
    [
        # a weapon as subject: its "by" names who fired it
        ("Shelling by Turkish forces killed three civilians in Kunduz on Tuesday.",
         ("Explosions/Remote violence", "Shelling/artillery/missile attack"), "Military Forces of Turkey"),
        # a sentence-initial adjective is not an armed group ("Heavy fighting")
        ("Heavy fighting continued around Goma on Tuesday.", ("Battles", "Armed clash"), None),
        # a death word without an agent: who acted is in the clause that tells how
        ("Two soldiers were killed near Goma when M23 rebels attacked their post on Tuesday.",
         ("Battles", "Armed clash"), "M23: March 23 Movement"),
        # the victims are never actor1, even as the sentence's subject
        ("Three soldiers and two villagers were killed near Kunduz on Tuesday.",
         ("Violence against civilians", "Attack"), None),
    ],
)
def test_resolve_actor1_names_who_acted(text: str, sub: tuple[str, str], actor1: str | None, parser: Parser,
                                        resolver: ArgumentResolver) -> None:
    places = [p for p in ("Kunduz", "Goma") if p in text]
    event = resolver(build(parser, text, places, *sub, PUB)).events[0]
    if actor1 is None:
        assert event.actor1 is None or event.actor1.startswith("Unidentified"), event.actor1
    else:
        assert event.actor1 == actor1, event.notes


@pytest.mark.parametrize(
    ("actor_text", "expected"),
    [
        # state forces taking ground regain it
        ("Syrian troops", "Government regains territory"),
        # a rebel group taking ground overtakes it, whatever the coder guessed
        ("M23 rebels", "Non-state actor overtakes territory"),
    ],
)
def test_resolve_territory_subtype_follows_who_took_it(actor_text: str, expected: str, parser: Parser,
                                                        resolver: ArgumentResolver) -> None:
    text = f"{actor_text} seized the town of Dael on Tuesday."
    event = resolver(build(parser, text, ["Dael"], "Battles", "Government regains territory", PUB)).events[0]
    assert event.sub_event_type == expected, (event.actor1, event.inter1)
