"""Who did it and to whom, read from the dependency parse of the event's sentence.

1. The trigger: the word that reports the event ("fired", "attacks", "killed"), found
   with a small lexicon per ACLED event type; failing that, the sentence's main predicate
   (reporting verbs such as "said" hand over to the clause they report).
2. Roles around it:
   - active verb: subject -> agent, direct object or "on/against/at" object -> patient;
   - passive verb ("were fired ... by the Fourth Division"): the ``by``-agent -> agent,
     the passive subject -> patient;
   - a noun trigger ("attacks by remnants of opposition groups on army checkpoints"):
     "by"/possessive -> agent, "on/against" -> patient; as the object of a light verb
     ("launched an attack", "stepped up an offensive") it takes that verb's subject;
   - symmetric verbs ("X and Y clashed", "clashes between X and Y", "X fought Y"):
     the two sides become agent and patient;
   - "aided by", "backed by", "supported by", "alongside", "with the support of" on an
     agent -> its associated actor.
3. Mentions are noun phrases without their relative clauses, appositions and
   prepositional tails; "remnants of opposition groups" is read as "opposition groups".
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from ...lang import language_pack

# The English words live in data/lang/en/resolve_roles.toml (what each list is for is
# written there); the structure that reads them stays here.
_EN = language_pack("en")
_TABLE = "resolve_roles"

TRIGGERS: dict[str | None, frozenset[str]] = {
    event_type: frozenset(words) for event_type, words in _EN.mapping(_TABLE, "triggers").items()
}
ALL_TRIGGERS = frozenset().union(*TRIGGERS.values())
REPORTING = _EN.words(_TABLE, "reporting")
SYMMETRIC = _EN.words(_TABLE, "symmetric")
LIGHT_VERBS = _EN.words(_TABLE, "light_verbs")
ASSOCIATE_VERBS = _EN.words(_TABLE, "associate_verbs")
PATIENT_PREPS = _EN.words(_TABLE, "patient_preps")
PARTITIVE = _EN.words(_TABLE, "partitive")
_SUPPORT_NOUNS = _EN.words(_TABLE, "support_nouns")
_ASSOCIATE_PREPS = _EN.words(_TABLE, "associate_preps")
_VICTIM_PARTICIPLES = _EN.words(_TABLE, "victim_participles")
_DROP_CHILDREN = {"relcl", "acl", "appos", "prep", "punct", "cc", "conj", "advcl", "ccomp", "parataxis", "mark"}
_NOMINAL = {"NOUN", "PROPN", "PRON"}


@dataclass(slots=True)
class RoleMention:
    """A noun phrase naming one actor: its text and token indices in the doc."""

    text: str
    head: int
    start: int
    end: int


@dataclass(slots=True)
class Roles:
    trigger: int | None = None
    agents: list[RoleMention] = field(default_factory=list)
    patients: list[RoleMention] = field(default_factory=list)
    agent_associates: list[RoleMention] = field(default_factory=list)
    patient_associates: list[RoleMention] = field(default_factory=list)


def _same(a: Any, b: Any) -> bool:
    return a.i == b.i


def _is_root(token: Any) -> bool:
    return token.head.i == token.i


def main_predicate(sent: Any) -> Any:
    """The sentence's main verb, passing from a reporting verb to what it reports
    ("Officials said rebels attacked..." -> "attacked")."""
    root = sent.root
    seen = 0
    while root.lemma_.lower() in REPORTING and seen < 3:
        seen += 1
        reported = [c for c in root.children if c.dep_ in ("ccomp", "xcomp", "parataxis")]
        if not reported:
            # "..., according to X": the root may be the preposition's head already.
            break
        root = reported[0]
    return root


def find_trigger(sent: Any, event_type: str | None = None) -> Any:
    """The token that reports the event: a lexicon word for its ACLED type, preferring
    verbs and words on the path of the main predicate; else the main predicate."""
    lexicon = TRIGGERS.get(event_type) or ALL_TRIGGERS
    predicate = main_predicate(sent)
    best, best_score = None, -1.0
    for token in sent:
        lemma = token.lemma_.lower()
        if lemma not in lexicon and token.lower_ not in lexicon:
            continue
        if token.pos_ not in ("VERB", "NOUN", "PROPN", "ADJ"):
            continue
        score = 2.0 if token.pos_ == "VERB" else 1.0
        if token.dep_ in ("amod", "compound"):
            score -= 1.0  # "army checkpoints", "the attacked town": modifiers, not events
        if _same(token, predicate) or _same(token.head, predicate):
            score += 1.5
        if token.lemma_.lower() in REPORTING:
            score -= 2
        score -= (token.i - sent.start) * 0.01  # earlier wins ties: news leads with the event
        if score > best_score:
            best, best_score = token, score
    return best if best is not None else predicate


def mention_of(token: Any, bounds: range | None = None) -> RoleMention:
    """The noun phrase headed by ``token``, trimmed to the actor's name (and to the
    sentence: ``bounds`` are its token indices)."""
    # "remnants of opposition groups" -> "opposition groups"
    for _ in range(2):
        if token.lower_ in PARTITIVE or token.lemma_.lower() in PARTITIVE:
            inner = [g for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                     for g in c.children if g.dep_ == "pobj"]
            if inner:
                token = inner[0]
                continue
        break
    keep = {token.i}
    stack = [c for c in token.children if c.dep_ not in _DROP_CHILDREN]
    while stack:
        child = stack.pop()
        keep.add(child.i)
        stack.extend(c for c in child.children if c.dep_ not in ("relcl", "acl", "appos", "punct", "advcl"))
    if bounds is not None:
        keep = {i for i in keep if i in bounds and not token.doc[i].is_space} or {token.i}
    # A contiguous stretch around the head: a token left out in between cuts the phrase.
    start = end = token.i
    doc = token.doc

    def joined(i: int) -> bool:
        # a hyphen inside a name ("Iranian-financed") is part of it
        return i in keep or (doc[i].text in ("-", "–") and i - 1 in keep and i + 1 in keep)

    while start - 1 >= 0 and joined(start - 1):
        start -= 1
    while end + 1 < len(doc) and joined(end + 1):
        end += 1
    end += 1
    span = doc[start:end]
    return RoleMention(text=span.text, head=token.i, start=start, end=end)


def _with_conjuncts(token: Any) -> list[Any]:
    tokens = [token]
    for child in token.children:
        if child.dep_ == "conj" and child.pos_ in _NOMINAL:
            tokens.extend(_with_conjuncts(child))
    return tokens


def _child(token: Any, *deps: str) -> Any | None:
    for child in token.children:
        if child.dep_ in deps:
            return child
    return None


def _pobj(token: Any, preps: AbstractSet[str]) -> list[Any]:
    found = []
    for child in token.children:
        if child.dep_ in ("prep", "agent") and child.lower_ in preps:
            found.extend(g for g in child.children if g.dep_ == "pobj")
    return found


def _subject_of(verb: Any) -> tuple[Any | None, bool]:
    """``(subject, passive)``: climbing through xcomp/conj/relcl to find one."""
    for _ in range(4):
        subject = _child(verb, "nsubj", "nsubjpass", "csubj")
        if subject is not None:
            if subject.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
                return verb.head, subject.dep_ == "nsubjpass"
            return subject, subject.dep_ == "nsubjpass"
        if verb.dep_ == "relcl":
            return verb.head, False
        if verb.dep_ == "acl" and verb.tag_ == "VBN":
            return verb.head, True  # "troops killed by ...": the noun is the patient
        if verb.dep_ in ("xcomp", "conj", "advcl", "dep") and not _is_root(verb):
            verb = verb.head
            continue
        break
    return None, False


def _associates(token: Any) -> list[Any]:
    """"Syrian forces aided by pro-Iranian militias" -> the militias."""
    found: list[Any] = []
    for child in token.children:
        if child.dep_ in ("acl", "amod", "relcl") and child.lemma_.lower() in ASSOCIATE_VERBS:
            found.extend(_pobj(child, {"by"}))
        if child.dep_ == "prep" and child.lower_ in _ASSOCIATE_PREPS:
            found.extend(g for g in child.children if g.dep_ == "pobj")
        if child.dep_ == "prep" and child.lower_ == "with":
            for pobj in (g for g in child.children if g.dep_ == "pobj"):
                if pobj.lemma_.lower() in _SUPPORT_NOUNS:
                    found.extend(_pobj(pobj, {"of"}))
    return found


_SUFFERING = _EN.words(_TABLE, "suffering")
_PLACE_HEADS = _EN.words(_TABLE, "place_heads")
_RELATIVE_PRONOUNS = _EN.words(_TABLE, "relative_pronouns")
_NOT_ACTORS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"}


def _actor_like(token: Any) -> bool:
    """Dates, numbers and relative pronouns are never actors."""
    if token.lower_ in PARTITIVE and any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children):
        return True  # "dozens of civilians": the civilians are read through it
    if token.lemma_.lower() in _PLACE_HEADS:
        return False  # "the Damasha and Shabeelow areas" is where, not who
    return token.ent_type_ not in _NOT_ACTORS and token.lower_ not in _RELATIVE_PRONOUNS


_PERSONAL = _EN.words(_TABLE, "personal_pronouns")
_FORCES = _EN.words(_TABLE, "forces")


def _split_on_and(token: Any, sent: Any) -> list[RoleMention]:
    """"between al-Shabaab and Somali troops" parsed as one phrase: cut it at "and"."""
    phrase = [t for t in token.subtree if sent.start <= t.i < sent.end]
    cut = [t for t in phrase if t.lower_ == "and"]
    if len(cut) != 1:
        return []
    doc = token.doc
    left = doc[phrase[0].i:cut[0].i]
    right = doc[cut[0].i + 1:phrase[-1].i + 1]
    if not len(left) or not len(right):
        return []
    return [RoleMention(left.text, left.root.i, left.start, left.end), RoleMention(right.text, right.root.i, right.start, right.end)]


def antecedent(token: Any, sent: Any) -> Any | None:
    """The noun a personal pronoun stands for, inside the sentence: the subject of a verb
    that governs it ("Bouteflika said he is prepared…" -> Bouteflika), else the nearest
    named entity before it. None when there is none: we do not guess across sentences."""
    if token.lower_ not in _PERSONAL:
        # "its fighters", "their forces": the owner is the actor.
        owner = _child(token, "poss")
        if owner is not None and owner.lower_ in _PERSONAL and token.lemma_.lower() in _FORCES:
            found = antecedent(owner, sent)
            return found if found is not None else token
        return token
    head = token
    while head.head.i != head.i and sent.start <= head.head.i < sent.end:
        head = head.head
        for child in head.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.pos_ != "PRON" \
                    and token.i not in {t.i for t in child.subtree}:
                return child
    for ent in reversed([e for e in sent.ents if e.end <= token.i]):
        if ent.label_ in ("PERSON", "ORG", "GPE", "NORP"):
            return ent.root
    return None


def _leading_noun(sent: Any, trigger: Any) -> list[Any]:
    """When the parse lost the subject (it often does when a headline runs into the first
    sentence), the noun phrase that opens the clause before the trigger stands in."""
    verb = trigger
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i and verb.head.i >= sent.start:
        verb = verb.head
    if verb.i < sent.start or verb.i >= sent.end:
        return []
    # Only the trigger's own clause: "The army said opposition shelling hit…" must not
    # hand the shelling to the army that reports it.
    for token in sent:
        if token.i >= verb.i:
            break
        if token.pos_ not in ("NOUN", "PROPN") or not _actor_like(token):
            continue
        if token.dep_ in ("nsubj", "nsubjpass") and token.head.lemma_.lower() in REPORTING:
            continue
        # Climb from a modifier to the head noun of its phrase ("Syrian" -> "forces").
        while token.dep_ in ("compound", "amod", "nmod") and token.i < token.head.i < verb.i:
            token = token.head
        if token.dep_ in ("npadvmod",):
            continue
        return [token]
    return []


def extract_roles(sent: Any, trigger: Any | None) -> Roles:
    """The agents, patients and their associates of the event reported by ``trigger``."""
    roles = Roles(trigger=trigger.i if trigger is not None else None)
    if trigger is None:
        return roles
    agents: list[Any] = []
    patients: list[Any] = []
    lemma = trigger.lemma_.lower()
    if trigger.dep_ == "acl" and trigger.tag_ == "VBG" and trigger.head.pos_ in _NOMINAL:
        # "opposition shelling", "troops shelling the town": the noun does it.
        agents = [trigger.head]
        obj = _child(trigger, "dobj", "obj")
        patients = [obj] if obj is not None else _pobj(trigger, PATIENT_PREPS)
    elif trigger.pos_ in ("VERB", "AUX") or trigger.tag_.startswith("VB"):
        subject, passive = _subject_of(trigger)
        passive = passive or any(c.dep_ == "auxpass" for c in trigger.children)
        by_agents = _pobj(trigger, {"by"})
        if passive:
            agents = by_agents
            patients = [subject] if subject is not None else []
        else:
            # "Artillery fire by the RSF killed ...": the subject is the weapon, its "by"
            # names who fired it.
            wielders = _pobj(subject, {"by"}) if subject is not None else []
            # a gerund without a subject ("Shelling by Turkish forces killed ..."): its "by"
            wielders = wielders or (by_agents if subject is None else [])
            agents = wielders[:1] or ([subject] if subject is not None else [])
            obj = _child(trigger, "dobj", "obj")
            if obj is not None and obj.lemma_.lower() in ALL_TRIGGERS and obj.pos_ == "NOUN":
                # "launched an attack on X": the noun carries the target.
                patients = _pobj(obj, PATIENT_PREPS) or _pobj(trigger, PATIENT_PREPS)
            elif obj is not None:
                patients = [obj]
                if lemma in SYMMETRIC:  # "signed an agreement with Iraq": the other party
                    patients += _pobj(trigger, {"with"}) + _pobj(obj, {"with"})
            else:
                patients = _pobj(trigger, PATIENT_PREPS | {"with"} if lemma in SYMMETRIC else PATIENT_PREPS)
    else:
        agents = _pobj(trigger, {"by"})
        poss = _child(trigger, "poss")
        if not agents and poss is not None:
            agents = [poss]
        if not agents:
            # "Israeli strikes", "opposition shelling": a modifier naming who did it
            # (the resolver drops modifiers that name nobody, like "air" in "air strikes").
            modifiers = [c for c in trigger.children if c.dep_ in ("amod", "compound", "nmod") and c.pos_ in ("PROPN", "NOUN", "ADJ")]
            named = [c for c in modifiers if c.ent_type_ in ("NORP", "GPE", "ORG")]
            nouns = [c for c in modifiers if c.pos_ in ("NOUN", "PROPN")]
            agents = (named or nouns)[:1]
        patients = _pobj(trigger, PATIENT_PREPS)
        between = _pobj(trigger, {"between"})
        if between:
            sides = _with_conjuncts(between[0])
            if len(sides) == 1:
                halves = _split_on_and(between[0], sent)
                if halves:
                    roles.agents, roles.patients = halves[:1], halves[1:2]
                    return roles
            agents, patients = sides[:1], sides[1:2]
        head = trigger.head
        if not agents and trigger.dep_ in ("dobj", "obj") and head.lemma_.lower() in LIGHT_VERBS | ALL_TRIGGERS:
            subject, passive = _subject_of(head)
            agents = _pobj(head, {"by"}) if passive else ([subject] if subject is not None else [])
            if not patients:
                patients = _pobj(head, PATIENT_PREPS)
        if not agents:
            # The parser often hangs "by X" on the wrong word: take the nearest "by" after the trigger.
            for token in sent:
                if token.i > trigger.i and token.lower_ == "by" and token.dep_ in ("prep", "agent"):
                    objects = [c for c in token.children if c.dep_ == "pobj"]
                    if objects and token.head.lemma_.lower() not in ASSOCIATE_VERBS:
                        agents = objects[:1]
                        break
    # "X and Y clashed": the conjoined subjects are both sides.
    split = False
    if len(agents) == 1 and not patients and lemma in SYMMETRIC:
        sides = _with_conjuncts(agents[0])
        if len(sides) > 1:
            agents, patients, split = sides[:1], sides[1:2], True
    if not split:
        agents = [t for a in agents for t in _with_conjuncts(a)]
        patients = [t for p in patients for t in _with_conjuncts(p)]
    # "shelled the town, killing two civilians": the victims of the participle.
    for child in trigger.children:
        if child.dep_ in ("advcl", "conj", "xcomp") and child.lemma_.lower() in _VICTIM_PARTICIPLES:
            patients += [c for c in child.children if c.dep_ in ("dobj", "obj")]
    inside = range(sent.start, sent.end)
    agents = [a for a in (antecedent(t, sent) for t in agents) if a is not None]
    patients = [p for p in (antecedent(t, sent) for t in patients) if p is not None]
    if not agents and not (trigger.pos_ in ("VERB", "AUX") and any(c.dep_ == "auxpass" for c in trigger.children)):
        leading = _leading_noun(sent, trigger)
        if leading and (leading[0].dep_ == "nsubjpass" or leading[0].head.lemma_.lower() in _SUFFERING):
            patients = leading + patients  # "civilians were killed in an airstrike"
        else:
            agents = leading
    roles.agents = [mention_of(t, inside) for t in agents if t.i in inside and _actor_like(t)]
    roles.patients = [mention_of(t, inside) for t in patients if t.i in inside and _actor_like(t)]
    roles.agent_associates = [mention_of(t, inside) for a in agents for t in _associates(a) if t.i in inside]
    roles.patient_associates = [mention_of(t, inside) for p in patients for t in _associates(p) if t.i in inside]
    return roles
