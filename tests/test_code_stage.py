"""The code stage on sentences we wrote: typing, the non-political classes, the headline
rule, stable ids. One shared parser and coder for the module."""

from __future__ import annotations

import pytest

from wirecoder.pipeline import check_order
from wirecoder.records import Article, Document
from wirecoder.stages.code import EventCoder, event_id


@pytest.fixture(scope="module")
def run(settings):
    from wirecoder.stages.nlp import Parser

    parser, coder = Parser(settings), EventCoder(settings)

    def code(text: str, headline: str | None = None) -> Document:
        return coder(parser(Document(article=Article(id="t", headline=headline, paragraphs=[text]))))

    return code


@pytest.mark.parametrize("text, sub_event_type", [
    # warplanes: air strike, not shelling
    ("Warplanes bombed a market in the rebel-held town of Hasra on Friday, killing nine people.", "Air/drone strike"),
    # an IED on a road
    ("A roadside bomb exploded under a police truck near Kandor, wounding three officers.", "Remote explosive/landmine/IED"),
    # protesters hurling stones at police make it a riot
    ("Hundreds of protesters hurled stones at police and set tyres ablaze in the capital.", "Violent demonstration"),
    # state forces taking a town back
    ("The army recaptured the town of Zarin from the rebels after two days of fighting.", "Government regains territory"),
    # a militia taking a town
    ("The militia seized the town of Orel from government troops on Sunday.", "Non-state actor overtakes territory"),
    # arrests of activists
    ("Police arrested six opposition activists in Lumar on Thursday.", "Arrests"),
    # missiles fired from aircraft: typed by the platform, an air strike, not shelling
    ("Fighter jets fired missiles at a fuel depot near Kandor on Monday, killing two guards.", "Air/drone strike"),
    # rockets fired from the ground stay shelling
    ("Rebels fired rockets at the army barracks in Kandor on Monday, killing two guards.", "Shelling/artillery/missile attack"),
])
def test_sub_event_type(run, text, sub_event_type):
    events = [e for e in run(text).events if e.sub_event_type]
    assert events and max(events, key=lambda e: e.confidence).sub_event_type == sub_event_type


@pytest.mark.parametrize("text", [
    # a natural disaster is not a political event
    "A strong earthquake struck the coastal province, killing 14 people and destroying homes.",
    # sport: an "attack" in a match
    "The striker scored twice as the home team beat their rivals 3-1 in the cup final.",
])
def test_non_political_gets_no_acled_type(run, text):
    assert not [e for e in run(text).events if e.event_type]


def test_statement_gets_plover_only(run):
    # a request between governments: PLOVER REQUEST, no ACLED type
    events = run("The foreign minister urged the neighbouring government to release the detained journalists.").events
    assert any(e.plover_type == "REQUEST" and e.event_type is None for e in events)


def test_headline_is_not_coded(run):
    # the headline's attack is not an event of its own; the body's is
    document = run("Officials met to discuss the budget.", headline="Rebels attack army base in north")
    assert all(e.evidence.start >= document.article.body_start for e in document.events)
    assert not [e for e in document.events if e.event_type == "Battles"]


def test_ids_are_stable(run):
    text = "Gunmen abducted twelve students from a school in Tarsa on Monday."
    first, second = run(text).events, run(text).events
    assert [e.id for e in first] == [e.id for e in second] and first
    assert event_id("a", 0, 10, "x") != event_id("a", 0, 10, "y")


def test_stage_declares_its_order(settings):
    from wirecoder.stages.nlp import Parser

    check_order([Parser(settings), EventCoder(settings)])  # does not raise
    assert EventCoder.requires == ("doc",) and EventCoder.assigns == ("events",)
