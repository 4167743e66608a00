"""The ``code`` stage, :class:`EventCoder`: which sentences report an event, of which
type (ACLED and PLOVER), and whether it is happening now.

    1. detect    trigger lexicon over lemmas -> mentions grouped by the parse (detect.py)
    2. classify  ACLED sub-type / non-political class, and PLOVER type, by the classifier
                 named by code.classifier (classify.py: the shipped "linear" model,
                 optionally helped by sentence embeddings, embed.py)
    3. modality  asserted / claimed / denied / historical / future / hypothetical (modality.py)
    4. confidence calibrated probability that the type is right (confidence.py)

Choices, documented here because users will ask:
- crime, natural disasters, accidents and sport produce NO event at all (they are not
  political events, and a PLOVER-only record of a flood would mislead);
- verbal and political acts (statements, requests, rejections, visits...) become events
  with a PLOVER type and no ACLED type, unless the ACLED model gives them a
  Strategic-development sub-type;
- a claim of responsibility is not a new violent event; it is kept as a PLOVER-only event
  when the PLOVER model sees one, else dropped;
- sentences of the headline are not coded (the body repeats them), captions never reach
  ``Article.text``;
- several mentions of the same type and modality in one sentence make one event.

Actors, places, dates and fatalities are left empty for the ``resolve`` stage.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Iterator

from ... import registry
from ...lang import language_pack
from ...records import Document, Event, Evidence
from ...settings import Settings
from .classify import NON_EVENT, EventClassifier
from .codebook import Codebook, load_codebook, load_refine_lists
from .detect import EventMention, find_event_mentions
from .modality import ModalityCues, judge
from .refine import refine

__all__ = ["EventCoder", "consequences_of_mechanisms", "event_id", "sentences"]

NOT_POLITICAL = frozenset({"crime", "natural_disaster", "accident", "sport"})
# Words that tell only what violence did, not what it was: "struck the building, killing
# four" is one air strike with four deaths (data/lang/en/code.toml).
CONSEQUENCE_LEMMAS = language_pack("en").words("code", "consequence_lemmas")
MECHANISM_TYPES = frozenset({"Explosions/Remote violence", "Battles"})


def event_id(article_id: str, start: int, end: int, type_key: str) -> str:
    """Stable id: the same sentence of the same article typed the same way."""
    return hashlib.sha1(f"{article_id}|{start}|{end}|{type_key}".encode()).hexdigest()[:16]


@dataclass(slots=True)
class _Typed:
    mention: EventMention
    subtype: str | None
    plover: str | None
    confidence: float


def sentences(doc: Any) -> Iterator[Any]:
    """spaCy's sentences, cut again at paragraph breaks: the parser sometimes runs a
    headline or a short paragraph into the next one."""
    for sent in doc.sents:
        start = sent.start
        for token in sent:
            if token.is_space and "\n" in token.text:
                if token.i > start:
                    yield doc[start:token.i]
                start = token.i + 1
        if start < sent.end:
            yield doc[start:sent.end]


def consequences_of_mechanisms(seen: dict[Any, Event], told_by: dict[Any, list[EventMention]]) -> list[Any]:
    """Keys of events that only tell the toll of another event of their sentence.

    An attack or clash found by death words alone ("killing four", "were killed") that is
    syntactically tied to a strike, shelling, bombing or battle of the same sentence and
    modality is that event's consequence: ACLED codes the mechanism, with the deaths as
    its fatalities (the resolve stage gives the sentence's toll to the event left)."""
    dropped = []
    for key, event in seen.items():
        if event.sub_event_type not in ("Attack", "Armed clash"):
            continue
        mentions = told_by[key]
        lemmas = {event_token.lemma_.lower() for m in mentions for h in m.hits
                  for event_token in m.sent.doc[h.start:h.end]}
        if not lemmas or not lemmas <= CONSEQUENCE_LEMMAS:
            continue
        for other_key, other in seen.items():
            if (other_key == key or other_key[0] != key[0] or other.event_type not in MECHANISM_TYPES
                    or other.sub_event_type == event.sub_event_type or other.modality != event.modality):
                continue
            if any(_linked(m.anchor, n.anchor) for m in mentions for n in told_by[other_key]):
                dropped.append(key)
                break
    return dropped


def _linked(a: Any, b: Any) -> bool:
    """Whether one token lies in the other's syntactic subtree."""
    return b.left_edge.i <= a.i <= b.right_edge.i or a.left_edge.i <= b.i <= a.right_edge.i


@registry.stages.register("code")
class EventCoder:
    """Appends :class:`Event` records to ``document.events``."""

    requires: tuple[str, ...] = ("doc",)
    assigns: tuple[str, ...] = ("events",)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings.code
        self.codebook: Codebook = load_codebook()
        self.cues = ModalityCues(self.codebook.modality)
        self.refine_lists = load_refine_lists()
        self.classifier: EventClassifier = registry.classifiers.get(self.settings.classifier)(settings)

    # -- typing ------------------------------------------------------------------
    def _type(self, mentions: list[EventMention]) -> list[_Typed]:
        typings = self.classifier(mentions)
        if len(typings) != len(mentions):
            raise ValueError(f"classifier {self.settings.classifier!r} gave {len(typings)} typings "
                             f"for {len(mentions)} mentions")
        typed: list[_Typed] = []
        # a sentence about a disaster, crime or sport: its weakly triggered mentions
        # ("killing 14", "destroying homes") are consequences of it, not political events
        non_political = {m.sent.start for m, t in zip(mentions, typings) if t.acled in NOT_POLITICAL}
        for mention, typing in zip(mentions, typings):
            a, ca, p, cp = typing.acled, typing.acled_confidence, typing.plover, typing.plover_confidence
            if a in NOT_POLITICAL or (mention.sent.start in non_political and mention.weight < 2.0):
                continue
            if a in self.codebook.subtypes:
                a = refine(a, mention.tokens, self.refine_lists, mention.sent)
            subtype = self.codebook.subtypes.get(a)
            if subtype is not None:
                # a violent or protest sub-type fixes the PLOVER type; otherwise ask the PLOVER model
                plover_type = subtype.plover or (p if p != NON_EVENT else None)
                if subtype.plover in ("ASSAULT", "PROTEST") or plover_type == subtype.plover:
                    pass
                elif p != NON_EVENT:
                    plover_type = p
                typed.append(_Typed(mention, a, plover_type, float(ca)))
            elif p != NON_EVENT and any(t.pos_ in ("VERB", "AUX") for t in mention.sent):
                # a line without a verb ("ISAF Joint Command - Afghanistan") states nothing
                typed.append(_Typed(mention, None, p, float(cp)))
        return typed

    def __call__(self, document: Document) -> Document:
        doc = document.doc
        if doc is None:
            return document
        article = document.article
        body_start = article.body_start
        published_year = int(article.published.date[:4]) if article.published.date else None
        published_month = int(article.published.date[5:7]) if article.published.date else None
        mentions: list[EventMention] = []
        for sent in sentences(doc):
            if sent.end_char <= body_start:
                continue  # the headline: the body tells the same story
            mentions.extend(find_event_mentions(sent, self.codebook.triggers))
        if not mentions:
            return document
        seen: dict[tuple[int, str | None, str | None, str], Event] = {}
        rank: dict[tuple[int, str | None, str | None, str], tuple[int, int, int]] = {}
        told_by: dict[tuple[int, str | None, str | None, str], list[EventMention]] = {}
        for item in self._type(mentions):
            if item.confidence < self.settings.min_confidence:
                continue
            mention = item.mention
            sent = mention.sent
            verdict = judge(mention.anchor, sent, self.cues, published_year, mention.clause_text(), published_month)
            key = (sent.start, item.subtype, item.plover, verdict.modality)
            order = (sent.start, mention.depth, mention.anchor.i)
            told_by.setdefault(key, []).append(mention)
            if key in seen:  # the same event told twice in one sentence
                seen[key].confidence = max(seen[key].confidence, round(item.confidence, 3))
                if order < rank[key]:
                    rank[key] = order
                    seen[key].trigger = mention.trigger_text()
                continue
            seen[key] = self._event(article.id, sent, item, verdict)
            rank[key] = order
        for key in consequences_of_mechanisms(seen, told_by):
            del seen[key]
        # within a sentence, the event of its main predicate (the trigger nearest the
        # parse's root) comes first: "demonstrated ..., demanding X" is a protest whose
        # demand is its content, and readers of one sentence take its first event
        document.events.extend(seen[k] for k in sorted(seen, key=lambda k: rank[k]))
        return document

    def _event(self, article_id: str, sent: Any, item: _Typed, verdict: Any) -> Event:
        subtype = self.codebook.subtypes.get(item.subtype) if item.subtype else None
        lemmas = [t.lemma_.lower() for t in item.mention.tokens]
        text = item.mention.clause_text().lower()
        mode = self.codebook.plover_mode(item.plover, lemmas, text)
        if mode is None and subtype is not None and subtype.plover == item.plover:
            mode = subtype.mode
        type_key = f"{item.subtype}|{item.plover}|{item.mention.anchor.i - sent.start}"
        return Event(
            id=event_id(article_id, sent.start_char, sent.end_char, type_key),
            article_id=article_id,
            evidence=Evidence(sentence=sent.text, start=sent.start_char, end=sent.end_char),
            disorder_type=subtype.disorder_type if subtype else None,
            event_type=subtype.event_type if subtype else None,
            sub_event_type=subtype.sub_event_type if subtype else None,
            plover_type=item.plover,
            plover_mode=mode,
            modality=verdict.modality,
            attribution=verdict.attribution,
            confidence=round(item.confidence, 3),
            trigger=item.mention.trigger_text(),
        )
