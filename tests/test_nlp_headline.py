"""The headline is its own sentence in the parse: it ends without a full stop, and left to
itself the parser reads it and the lede under it as one sentence, hanging the lede's words
on the headline's (the lede's "by"-agent became the headline's, and the event lost who did
it)."""

from __future__ import annotations

import pytest

from wirecoder.records import Article, Document
from wirecoder.settings import load_settings
from wirecoder.stages.nlp import Parser

HEADLINES = [
    "Militia Shelling Kills 12 in Border Town as Talks Stall",
    "Protesters Clash With Police Outside Parliament",
    "Drone strike hits fuel depot near the port: officials",
]
LEDE = ("Mortar fire by the Northern Brigade killed at least 12 people in the border town on "
        "Friday, two hospital workers said. The shelling lasted until dusk.")


def _article(headline: str) -> Article:
    return Article(id="t", headline=headline, paragraphs=[LEDE, "Talks on a truce stalled again."])


def _check_boundary(doc, article: Article) -> None:
    body = next(t for t in doc if t.idx >= article.body_start and not t.is_space)
    assert body.is_sent_start, [s.text for s in doc.sents][:3]
    # no word of the body hangs on a word of the headline, nor the other way round
    for token in doc:
        in_body = token.idx >= article.body_start
        assert (token.head.idx >= article.body_start) == in_body or token.is_space, (token.text, token.head.text)


@pytest.fixture(scope="module")
def parser():
    return Parser(load_settings())


@pytest.mark.parametrize("headline", HEADLINES)
def test_headline_and_lede_are_parsed_apart(parser, headline):
    article = _article(headline)
    (document,) = parser.pipe([Document(article=article)])
    _check_boundary(document.doc, article)
    assert document.doc.text == article.text  # offsets hold


@pytest.mark.parametrize("headline", HEADLINES[:1])
def test_one_article_and_long_articles_too(headline):
    article = _article(headline)
    _check_boundary(Parser(load_settings())(Document(article=article)).doc, article)
    # a text longer than nlp.max_chars is parsed in chunks; the headline is in the first
    chunked = Parser(load_settings(overrides=["nlp.max_chars=200"]))
    long_article = Article(id="long", headline=headline, paragraphs=[LEDE] * 4)
    (document,) = chunked.pipe([Document(article=long_article)])
    assert document.doc.text == long_article.text
    _check_boundary(document.doc, long_article)


def test_body_only_articles_are_unchanged(parser):
    article = Article(id="b", paragraphs=[LEDE])
    (document,) = parser.pipe([Document(article=article)])
    reference = parser.nlp(article.text)
    assert [(t.dep_, t.head.i, t.is_sent_start) for t in document.doc] == \
           [(t.dep_, t.head.i, t.is_sent_start) for t in reference]


@pytest.mark.parametrize("headline", HEADLINES)
def test_the_body_is_parsed_as_it_would_be_alone(parser, headline):
    article = _article(headline)
    (document,) = parser.pipe([Document(article=article)])
    body = [t for t in document.doc if t.idx >= article.body_start]
    alone = parser.nlp(article.text[article.body_start:])
    offset = body[0].i
    assert [(t.text, t.dep_, t.head.i - offset, t.is_sent_start, t.ent_type_) for t in body] == \
           [(t.text, t.dep_, t.head.i, t.is_sent_start, t.ent_type_) for t in alone]


def test_a_headline_without_a_body_keeps_the_batch_in_step(parser):
    articles = [Article(id="h", headline="Clashes reported near the airport", paragraphs=[]),
                _article(HEADLINES[0]), Article(id="b", paragraphs=[LEDE])]
    documents = list(parser.pipe([Document(article=a) for a in articles]))
    assert [d.doc.text for d in documents] == [a.text for a in articles]
    _check_boundary(documents[1].doc, articles[1])
