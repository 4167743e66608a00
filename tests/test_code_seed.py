"""The seed dump (../shared/seeds, see EXPECTED.md): article 1 reports the current violent
events of Daraa and nothing from its history or its future; article 2 reports only
statements. Articles come from the extract stage, as in ``wirecoder code``."""

from __future__ import annotations

from pathlib import Path

import pytest

from wirecoder.records import Article, Document
from wirecoder.settings import Settings

VIOLENT_OR_DEMO = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots"}


def _seed_articles(path: Path, settings: Settings) -> list[Article]:
    from wirecoder.stages.extract import iter_articles

    articles = [a for a in iter_articles([str(path)], settings) if isinstance(a, Article)]
    assert len(articles) == 2, [a.headline for a in articles]
    return articles


@pytest.fixture(scope="module")
def coded(seed_path, settings) -> list[Document]:
    from wirecoder.stages.code import EventCoder
    from wirecoder.stages.nlp import Parser

    parser, coder = Parser(settings), EventCoder(settings)
    return [coder(parser(Document(article=a))) for a in _seed_articles(seed_path, settings)]


def _current_violent(document: Document):
    return [e for e in document.events if e.is_current and e.event_type in VIOLENT_OR_DEMO]


def test_article_1_current_violent_mentions(coded):
    events = _current_violent(coded[0])
    # 3–6 mentions before the resolve stage splits them per town (EXPECTED.md: 5–9 events)
    assert 3 <= len(events) <= 6, [e.evidence.sentence for e in events]
    sentences = " ".join(e.evidence.sentence for e in events)
    for must in ("missiles were fired", "checkpoints", "ambushes"):
        assert must in sentences


@pytest.mark.parametrize("phrase", [
    "in 2018",              # the 2018 recapture: history
    "a decade ago",         # the first protests and the crackdowns: history
    "final thrust",         # future
    "possible new wave",    # hypothetical
    "70%",                  # background: territory held over the war
    "destroyed buildings",  # the photo caption is never coded
])
def test_article_1_no_current_violent_event_from(coded, phrase):
    offending = [e for e in _current_violent(coded[0]) if phrase in e.evidence.sentence]
    assert not offending, offending


def test_article_2_has_no_current_violence(coded):
    # "the fight against ISIS remnants", "Israeli threats", "carrying out attacks": background or hypothetical
    assert _current_violent(coded[1]) == []
    assert any(e.plover_type in ("REQUEST", "CONSULT") for e in coded[1].events)


def test_events_carry_evidence_offsets(coded):
    for document in coded:
        text = document.text
        for event in document.events:
            assert text[event.evidence.start:event.evidence.end] == event.evidence.sentence
            assert event.evidence.start >= document.article.body_start  # headline not coded
            assert 0.0 <= event.confidence <= 1.0
