"""Candidate event mentions: trigger phrases from the lexicon, found over lemmas, grouped
into mentions with spaCy's dependency parse.

Two triggers belong to one mention when they sit close in the parse and no clause
boundary lies between them ("soldiers were *killed* in *ambushes*" is one mention; "...
killed in ambushes, and shelling caused casualties" holds two). A mention with only weak
triggers (words like "dead" or "militant" that describe more than they report) is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...lang import language_pack
from .codebook import TriggerHit, TriggerLexicon, token_forms
from .modality import only_proposed

# Dependency labels that start a new clause: triggers on either side of one are
# separate mentions.
CLAUSE_DEPS = frozenset({"conj", "ccomp", "advcl", "relcl", "parataxis", "xcomp", "acl", "csubj"})
MAX_LINK_DISTANCE = 3
MIN_MENTION_WEIGHT = 1.0

# The words are the language pack's (data/lang/en/code.toml says what each list is for).
_EN = language_pack("en")
# Nouns that make the trigger before them an event ("a coup attempt").
EVENT_HEADS = _EN.words("code", "event_heads")
# A weapon that is traded, made or handed over is a thing, not an attack.
WEAPONS = _EN.words("code", "weapons")
SUPPLY_VERBS = _EN.words("code", "supply_verbs")
SUPPLY_NOUNS = _EN.words("code", "supply_nouns")
SUPPLIED_ADJECTIVES = _EN.sequence("code", "supplied_adjectives")
# Verbs that put the weapon to use: "fired shells made in North Korea" is an attack.
FIRING_VERBS = _EN.words("code", "firing_verbs")
INDEFINITE_ARTICLES = _EN.sequence("code", "indefinite_articles")


def _only_a_weapon(token: Any) -> bool:
    """A weapon noun named as the thing supplied, bought or made: no attack happens in it.
    "fired shells made in North Korea" still reports the firing, through "fired"."""
    node = token
    while node.dep_ == "compound" and node.head.i != node.i:
        node = node.head  # "artillery shells", "Patriot missiles"
    if node.lemma_.lower() not in WEAPONS or node.pos_ not in ("NOUN", "PROPN"):
        return False
    head = node.head
    if node.dep_ in ("dobj", "nsubjpass") and head.pos_ == "VERB" and head.lemma_.lower() in SUPPLY_VERBS:
        return True
    if node.dep_ == "conj":  # "supplied tanks and missiles"
        return _only_a_weapon(head) if head.i != node.i else False
    if node.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in SUPPLY_NOUNS:
        return True  # "deliveries of missiles"
    if head.lemma_.lower() in FIRING_VERBS:
        return False
    for child in node.children:
        # "shells made in North Korea", "Iranian-supplied drones"
        if child.dep_ in ("acl", "amod") and child.tag_ == "VBN" and child.lemma_.lower() in SUPPLY_VERBS:
            return True
        if child.dep_ == "amod" and child.lower_.split("-")[-1] in SUPPLIED_ADJECTIVES:
            return True
    return False


@dataclass(slots=True)
class EventMention:
    """Triggers that report one event, inside one sentence (``sent`` is a spaCy Span)."""

    sent: Any
    hits: list[TriggerHit]
    anchor: Any  # the token closest to the root among the triggers' heads
    tokens: list[Any] = field(default_factory=list)  # the clause text used for typing

    @property
    def labels(self) -> list[str]:
        return [h.label for h in self.hits]

    @property
    def weight(self) -> float:
        return max(h.weight for h in self.hits)

    @property
    def depth(self) -> int:
        """Arcs from the anchor up to the sentence's root: 0 for the main predicate."""
        return len(_path_to_root(self.anchor)) - 1

    def trigger_text(self) -> str:
        """The text of the trigger nearest the parse's root (the event's own word)."""
        doc = self.sent.doc
        best = min(self.hits, key=lambda h: (len(_path_to_root(_hit_head(doc, h))), h.start))
        return doc[best.start:best.end].text

    def clause_text(self) -> str:
        return "".join(t.text_with_ws for t in self.tokens).strip()


def _hit_head(doc: Any, hit: TriggerHit) -> Any:
    """The token of a multi-word trigger whose head lies outside it."""
    for i in range(hit.start, hit.end):
        head = doc[i].head
        if head.i < hit.start or head.i >= hit.end or head.i == i:
            return doc[i]
    return doc[hit.start]


def _path_to_root(token: Any) -> list[Any]:
    path = [token]
    while path[-1].head.i != path[-1].i:
        path.append(path[-1].head)
    return path


def _linked(a: Any, b: Any) -> bool:
    """True when ``a`` and ``b`` are within MAX_LINK_DISTANCE arcs with no clause boundary."""
    if a.i == b.i:
        return True
    path_a, path_b = _path_to_root(a), _path_to_root(b)
    index_b = {t.i: n for n, t in enumerate(path_b)}
    for n, token in enumerate(path_a):
        if token.i in index_b:
            m = index_b[token.i]
            if n + m > MAX_LINK_DISTANCE:
                return False
            below = path_a[:n] + path_b[:m]  # tokens whose arc to their head is crossed
            return not any(t.dep_ in CLAUSE_DEPS for t in below)
    return False


def _clause_tokens(mention_anchor: Any, sent: Any, other_anchors: list[Any]) -> list[Any]:
    """The anchor's clause: the subtree of its nearest verb, without the sub-clauses that
    hold other mentions."""
    head = mention_anchor
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i and head.dep_ not in CLAUSE_DEPS:
        head = head.head
    excluded: set[int] = set()
    for other in other_anchors:
        # cut the highest clause-boundary child of ``head`` that dominates ``other``
        for token in _path_to_root(other):
            if token.i == head.i:
                break
            if token.dep_ in CLAUSE_DEPS and token.head.i != token.i and mention_anchor not in token.subtree:
                excluded.update(t.i for t in token.subtree)
    return [t for t in head.subtree if t.i not in excluded and sent.start <= t.i < sent.end]


# Named entities whose words are not events: "the Baloch Liberation Army", a newspaper
# called "The Strike", the month of "March"; "Operation Desert Storm" is kept (EVENT is
# not listed).
NAME_ENTITIES = frozenset({"ORG", "NORP", "FAC", "WORK_OF_ART", "LAW", "PERSON", "PRODUCT", "GPE", "LOC", "DATE"})


def _in_a_name(doc: Any, hit: TriggerHit) -> bool:
    """A trigger spelled as a proper noun inside an organisation's or a person's name."""
    return all(doc[i].pos_ == "PROPN" and doc[i].ent_type_ in NAME_ENTITIES for i in range(hit.start, hit.end))


def _only_a_modifier(anchor: Any, hits: list[TriggerHit]) -> bool:
    """A trigger that only qualifies another noun names a kind of thing, not an event:
    "protest leaders", "a police helicopter", "the bomb disposal squad", "a freed
    passenger", "killed journalists"; and a noun that only classifies its subject ("this
    is a military base") reports nothing either."""
    if anchor.dep_ == "amod" and anchor.tag_ == "VBN" and anchor.head.pos_ == "NOUN":
        return not any(h.start <= anchor.head.i < h.end for h in hits)
    if anchor.dep_ == "attr" and anchor.head.lemma_ == "be" and any(
            c.dep_ == "det" and c.lower_ in INDEFINITE_ARTICLES for c in anchor.children):
        return True
    if anchor.dep_ != "compound" or anchor.head.pos_ != "NOUN":
        return False
    if anchor.head.lemma_.lower() in EVENT_HEADS:
        return False
    # the qualified noun is itself part of a trigger ("drone strike"): one event
    return not any(h.start <= anchor.head.i < h.end for h in hits)


def find_event_mentions(sent: Any, lexicon: TriggerLexicon) -> list[EventMention]:
    """Event mentions in one sentence, in text order."""
    forms = token_forms(sent)
    doc = sent.doc
    found = [(h, _hit_head(doc, h)) for h in lexicon.match(forms, offset=sent.start)]
    found = [(h, head) for h, head in found if not _in_a_name(doc, h) and not _only_a_weapon(head)]
    if not found:
        return []
    hits = [h for h, _ in found]
    heads = [head for _, head in found]
    # an agreement only sought ("talks on a ceasefire deal") is its own mention, judged
    # hypothetical by modality.py; the talks beside it stay a real event
    sought = [only_proposed(head) is not None for head in heads]
    # union-find over hits
    parent = list(range(len(hits)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(hits)):
        for j in range(i + 1, len(hits)):
            if find(i) != find(j) and sought[i] == sought[j] and _linked(heads[i], heads[j]):
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(hits)):
        groups.setdefault(find(i), []).append(i)
    mentions: list[EventMention] = []
    for members in groups.values():
        group_hits = [hits[i] for i in members]
        if max(h.weight for h in group_hits) < MIN_MENTION_WEIGHT and sum(h.weight for h in group_hits) < MIN_MENTION_WEIGHT:
            continue
        anchor = min((heads[i] for i in members), key=lambda t: len(_path_to_root(t)))
        if _only_a_modifier(anchor, group_hits):
            continue
        mentions.append(EventMention(sent=sent, hits=group_hits, anchor=anchor))
    anchors = [m.anchor for m in mentions]
    for mention in mentions:
        if len(mentions) == 1:
            mention.tokens = list(sent)
        else:
            others = [a for a in anchors if a.i != mention.anchor.i]
            mention.tokens = _clause_tokens(mention.anchor, sent, others) or list(sent)
    mentions.sort(key=lambda m: m.anchor.i)
    return mentions
