"""Is an event mention happening now? ``asserted`` / ``claimed`` (with ``attribution``) /
``denied`` / ``historical`` / ``future`` / ``hypothetical``.

The cues come from ``data/codebook/modality.json``. From the mention's anchor token the
coder walks up the dependency tree, clause by clause, and the NEAREST cue decides: in
"fighting escalated this week after the collapse of a plan meant to avert an offensive",
*offensive* meets "avert" (hypothetical) before anything else, while *fighting* meets
"this week" (current). Time anchors ("in 2018", "a decade ago", "on Tuesday") are
attached to the word they modify; an anchor counts for a mention when it modifies the
anchor itself, a word above it, or a clause hanging from the anchor ("protests that broke
out a decade ago").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

YEAR = re.compile(r"^(1[89]\d\d|20\d\d)s?$")
TIME_NOUNS = frozenset({"year", "month", "week", "day", "decade", "hour", "minute", "century", "night",
                        "morning", "evening", "afternoon", "time", "past", "ago", "period", "weekend"})
# Verbs whose infinitive complement did happen ("began to fight"); any other governor
# leaves its infinitive unrealized ("meant to avert", "to hand over").
IMPLICATIVE = frozenset({"begin", "start", "continue", "manage", "keep", "go", "resume", "come", "proceed", "fail"})
NOUN_LINKS = frozenset({"prep", "pobj", "relcl", "acl", "compound", "amod"})
PREVENTION_WITH_FROM = frozenset({"keep", "stop", "prevent", "bar", "ban", "deter", "refrain", "prohibit", "block"})


@dataclass(frozen=True, slots=True)
class Judgement:
    modality: str
    attribution: str | None = None
    cue: str | None = None  # the word that decided, for explanations and tests


class ModalityCues:
    def __init__(self, cues: dict[str, list[str]]) -> None:
        get = lambda key: frozenset(w.lower() for w in cues.get(key, []))  # noqa: E731
        self.negation = get("negation_words")
        self.denial_verbs = get("denial_verbs")
        self.denial_nouns = get("denial_nouns")
        self.future_aux = get("future_aux")
        self.future_verbs = get("future_verbs")
        self.future_adjs = get("future_adjs")
        self.future_preps = [p.split() for p in cues.get("future_preps", [])]
        self.hyp_aux = get("hypothetical_aux")
        self.hyp_words = get("hypothetical_words")
        self.hyp_verbs = get("hypothetical_verbs")
        self.hist_words = get("historical_words")
        self.hist_phrases = [p.lower() for p in cues.get("historical_phrases", [])]
        self.background = [p.lower() for p in cues.get("background_phrases", [])]
        self.current = [p.lower() for p in cues.get("current_anchors", [])]
        self.reporting = get("reporting_verbs")
        self.source_phrases = [p.lower() for p in cues.get("source_phrases", [])]


def _attach(token: Any) -> Any:
    """The word a time expression modifies: climb over prepositions, numbers and time
    nouns to the first verb or content noun."""
    node = token
    for _ in range(8):
        if node.head.i == node.i:
            return node
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            return node
        if node.pos_ in ("NOUN", "PROPN") and node.lemma_.lower() not in TIME_NOUNS and not node.ent_type_ in ("DATE", "TIME"):
            return node
    return node


_ANCHOR_CACHE: dict[tuple[int, int, int, int | None], tuple[Any, dict[int, str]]] = {}


def _anchors(sent: Any, cues: ModalityCues, published_year: int | None) -> dict[int, str]:
    """Token index -> "historical" | "current" for the words time expressions modify.

    Cached per sentence: a sentence with several mentions is searched once (the regex
    scan over every cue phrase is the costly part of judging modality). The key holds
    the Doc's id and the Doc itself is kept beside the result, so a recycled id can
    never return another Doc's anchors; the cache is emptied when it grows large."""
    key = (id(sent.doc), sent.start, sent.end, published_year)
    hit = _ANCHOR_CACHE.get(key)
    if hit is not None and hit[0] is sent.doc:
        return hit[1]
    if len(_ANCHOR_CACHE) > 512:
        _ANCHOR_CACHE.clear()
    found = _find_anchors(sent, cues, published_year)
    _ANCHOR_CACHE[key] = (sent.doc, found)
    return found


def _find_anchors(sent: Any, cues: ModalityCues, published_year: int | None) -> dict[int, str]:
    found: dict[int, str] = {}
    lower = sent.text.lower()
    base = sent.start_char

    def mark(char_index: int, kind: str) -> None:
        span = sent.doc.char_span(base + char_index, base + char_index + 1, alignment_mode="expand")
        if span is not None and len(span):
            found.setdefault(_attach(span[0]).i, kind)

    for t in sent:
        if t.lower_ == "ago":
            found.setdefault(_attach(t).i, "historical")
        elif YEAR.match(t.text) and (t.ent_type_ == "DATE" or t.head.lower_ in ("in", "since", "of", "until")):
            year = int(t.text[:4])
            if published_year is None or year < published_year:
                found.setdefault(_attach(t).i, "historical")
            elif year > published_year:
                found.setdefault(_attach(t).i, "future")
    for phrase in cues.hist_phrases:
        for m in re.finditer(r"\b" + re.escape(phrase) + r"\b", lower):
            mark(m.start(), "historical")
    for phrase in cues.current:
        for m in re.finditer(r"\b" + re.escape(phrase) + r"\b", lower):
            mark(m.start(), "current")
    return found


def _subject_text(verb: Any) -> str | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return "".join(t.text_with_ws for t in child.subtree).strip()
    return None


def _attribution(sent: Any, path: list[Any], cues: ModalityCues) -> str | None:
    for node in path[1:]:
        if node.lemma_.lower() in cues.reporting and node.pos_ in ("VERB", "AUX"):
            subject = _subject_text(node)
            if subject and subject.lower() not in ("it", "he", "she", "they", "we", "i"):
                return subject
    lower = sent.text.lower()
    for phrase in cues.source_phrases:
        i = lower.find(phrase)
        if i >= 0:
            rest = sent.text[i + len(phrase):].strip(" ,.")
            return re.split(r"[,.;]", rest)[0].strip() or None
    return None


def judge(anchor: Any, sent: Any, cues: ModalityCues, published_year: int | None = None,
          clause_text: str | None = None) -> Judgement:
    """The modality of the mention whose anchor token is ``anchor``."""
    anchors = _anchors(sent, cues, published_year)
    path = [anchor]
    while path[-1].head.i != path[-1].i and len(path) < 30:
        path.append(path[-1].head)
    attribution = _attribution(sent, path, cues)
    asserted = Judgement("claimed" if attribution else "asserted", attribution)

    # 0. the mention's own modifiers (and clauses hanging from a noun trigger)
    for child in anchor.children:
        lemma = child.lemma_.lower()
        if child.dep_ == "neg" or (lemma in ("no",) and child.dep_ == "det"):
            return Judgement("denied", attribution, child.text)
        if child.dep_ == "amod" and lemma in cues.future_adjs:
            return Judgement("future", attribution, child.text)
        if child.dep_ in ("amod", "advmod") and lemma in cues.hyp_words:
            return Judgement("hypothetical", attribution, child.text)
    if anchor.pos_ in ("NOUN", "PROPN"):
        # a clause describing the noun, within three arcs: "protests against X that broke
        # out a decade ago"; deeper clauses describe other things
        frontier = [(c, 1) for c in anchor.children if c.dep_ in NOUN_LINKS]
        while frontier:
            token, depth = frontier.pop()
            if token.dep_ in ("relcl", "acl") and anchors.get(token.i) == "historical":
                return Judgement("historical", attribution, token.text)
            if depth < 3:
                frontier.extend((c, depth + 1) for c in token.children if c.dep_ in NOUN_LINKS)
    text = (clause_text or sent.text).lower()
    if any(p in text for p in cues.background) and anchor.lemma_.lower() in ("regain", "control", "take", "seize", "capture", "recapture", "retake"):
        return Judgement("historical", attribution, "background")

    previous = None
    for depth, node in enumerate(path):
        lemma = node.lemma_.lower()
        if depth > 0:
            # 1. a verb above the mention that denies, prevents, plans or fears it
            if lemma in cues.denial_verbs and node.pos_ == "VERB":
                return Judgement("denied", attribution, node.text)
            if lemma in cues.denial_nouns:
                return Judgement("denied", attribution, node.text)
            if previous is not None and previous.lower_ == "from" and lemma in PREVENTION_WITH_FROM:
                return Judgement("hypothetical", attribution, node.text)
            if lemma in cues.hyp_verbs and node.pos_ in ("VERB", "NOUN"):
                return Judgement("hypothetical", attribution, node.text)
            if lemma in cues.hyp_words and node.pos_ in ("NOUN", "ADJ"):
                return Judgement("hypothetical", attribution, node.text)
            if lemma in cues.hist_words and node.pos_ in ("NOUN", "ADJ"):
                return Judgement("historical", attribution, node.text)
            if node.lower_ == "of" and node.head.lower_ == "ahead":  # "ahead of a final thrust"
                return Judgement("future", attribution, node.text)
            if lemma in cues.future_verbs and previous is not None and previous.dep_ in ("xcomp", "dobj", "prep") \
                    and node.pos_ == "VERB" and lemma not in cues.reporting:
                return Judgement("future", attribution, node.text)
        # 2. the clause's own auxiliaries and negation
        if node.pos_ in ("VERB", "AUX") or depth == 0:
            for child in node.children:
                clemma = child.lemma_.lower()
                if child.dep_ == "neg" and not (depth > 0 and lemma in cues.reporting):
                    return Judgement("denied", attribution, child.text)
                if child.dep_ == "aux" and clemma in cues.future_aux:
                    return Judgement("future", attribution, child.text)
                if child.dep_ == "aux" and clemma in cues.hyp_aux:
                    return Judgement("hypothetical", attribution, child.text)
                if child.dep_ == "mark" and clemma in ("if", "unless", "whether"):
                    return Judgement("hypothetical", attribution, child.text)
            # an infinitive ("to hand over") under a verb that does not make it happen
            if node.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children) \
                    and node.dep_ in ("xcomp", "advcl", "acl", "relcl", "ccomp", "pcomp", "conj") \
                    and node.head.lemma_.lower() not in IMPLICATIVE:
                if node.head.lemma_.lower() in cues.future_verbs:
                    return Judgement("future", attribution, node.head.text)
                return Judgement("hypothetical", attribution, f"to {node.text}")
        # 3. a time expression on this word
        kind = anchors.get(node.i)
        if kind == "historical":
            return Judgement("historical", attribution, node.text)
        if kind == "future":
            return Judgement("future", attribution, node.text)
        if kind == "current":
            return asserted
        previous = node
    return asserted
