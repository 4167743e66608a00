"""Stage 5, ``resolve``: each event's arguments — who, where, when, how many.

    1. roles       agent, patient and their associates from the parse (roles.py)
    2. actors      mentions -> canonical actors, inter codes, interaction (actors.py)
    3. locate      the place(s) of the event's own clause, else the article's focus (locate.py)
    4. dates       the temporal phrase of the sentence against the publication date (dates.py)
    5. fatalities  deaths and injuries by ACLED's rules, split over places (fatalities.py)
    6. notes       an ACLED-style summary written from the fields (notes.py)

A sentence that names a coordinated list of places ("in the towns of Sanameen and Nawa")
yields one event per place, each with a stable id of its own and an even share of the
toll. ``iso`` holds the ISO 3166 alpha-2 code of the event's country (ACLED's own ``iso``
column is numeric; ours follows the ``Place`` records it comes from).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from typing import Any

from ... import registry
from ...lang import language_pack
from ...records import Document, Event, Place
from ...settings import Settings
from ..code.codebook import load_codebook
from ..geoparse.gazetteer import Gazetteer, load_gazetteer
from .actors import (
    ARMED_GROUP_KINDS,
    ActorDictionary,
    ArticleContext,
    ResolvedActor,
    civilian_targeting,
    interaction_code,
    load_actor_dictionary,
)
from .dates import find_date_phrases, parse_published, resolve_event_date, since_date
from .fatalities import count_casualties, split_evenly, victim_heads
from .locate import (
    Location,
    address_conflicts,
    dateline_spans,
    focus_location,
    locate_event,
    named_countries_only,
    without_datelines,
)
from .notes import write_notes
from .roles import ALL_TRIGGERS, REPORTING, RoleMention, extract_roles, find_trigger, mention_of

__all__ = ["ArgumentResolver", "resolve_event_date", "split_event_id"]

# The English words and patterns live in data/lang/en/resolve.toml (what each is for is
# written there); the rules that read them stay here.
_EN = language_pack("en")
_TABLE = "resolve"

VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"})
# Without a named perpetrator, ACLED's convention for who acted.
_DEFAULT_ACTOR1 = {
    "Battles": ("Unidentified Armed Group ({country})", 3),
    "Explosions/Remote violence": ("Unidentified Armed Group ({country})", 3),
    "Violence against civilians": ("Unidentified Armed Group ({country})", 3),
    "Protests": ("Protesters ({country})", 6),
    "Riots": ("Rioters ({country})", 5),
}
_TALLY = re.compile(_EN.value(_TABLE, "tally_pattern"), re.I)
_BARE_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")
# Head words of a generic mention of fighters that, in a story naming a single armed
# group, stand for that group ("the insurgents" in a story about the Taliban).
_FIGHTER_HEADS = _EN.words(_TABLE, "fighter_heads")
# The lede dates a story: a date phrase this many days before publication at most, in
# one of the body's first sentences, dates the mentions that have no phrase of their own.
LEAD_SENTENCES, LEAD_MAX_DAYS = 3, 7
_PRONOUNS = _EN.words(_TABLE, "pronouns")


def _looks_named(token: Any, people: bool = True) -> bool:
    """A token that names an actor: an organisation or a people, or a proper noun that
    is not merely capitalised by opening its sentence ("Heavy fighting"). A train, hotel
    or other facility never is ("the Jaffar Express"); a person's name is only when
    ``people`` (PLOVER's statements have speakers; ACLED's actors are groups, so
    "Mhlanga's arrest" has none)."""
    if token.ent_type_ in ("ORG", "NORP", "GPE"):
        return True
    if token.ent_type_ == "PERSON":
        return people
    if token.ent_type_ in ("FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "DATE", "TIME"):
        return False
    return token.pos_ == "PROPN" and not token.is_sent_start


ACTOR_DEFINED_SUBTYPES = frozenset({
    "Agreement", "Headquarters or base established", "Disrupted weapons use", "Change to group/activity",
    "Non-violent transfer of territory", "Other",
})
TERRITORY_SUBTYPES = ("Government regains territory", "Non-state actor overtakes territory")


def territory_subtype(sub_event_type: str | None, inter1: int | None) -> str | None:
    """ACLED names a change of territory by who took it: state forces (inter 1) regain,
    rebels and militias (2-4) overtake. Other actors leave the coder's choice."""
    if sub_event_type not in TERRITORY_SUBTYPES or inter1 is None:
        return sub_event_type
    if inter1 == 1:
        return TERRITORY_SUBTYPES[0]
    return TERRITORY_SUBTYPES[1] if inter1 in (2, 3, 4) else sub_event_type


def split_event_id(event_id: str, geonameid: int | None, index: int) -> str:
    """A stable, distinct id for one of the events a multi-place event becomes."""
    return hashlib.sha1(f"{event_id}|{geonameid}|{index}".encode()).hexdigest()[:16]


def is_past_news(date: str | None, published: dt.date | None, after_days: int) -> bool:
    """Whether an event dated ``date`` lies more than ``after_days`` before the report."""
    if date is None or published is None:
        return False
    try:
        return (published - dt.date.fromisoformat(date)).days > after_days
    except ValueError:
        return False


def counts_deaths(event: Event) -> bool:
    """Only violent events carry fatalities (a peaceful protest or an agreement has none)."""
    if event.event_type in VIOLENT_TYPES or event.sub_event_type == "Excessive force against protesters":
        return True
    return event.event_type is None and event.plover_type == "ASSAULT"


def _blank(sentence: str, offset: int, spans: list[tuple[int, int]]) -> str:
    """``sentence`` (starting at ``offset`` in the article) with the characters inside
    ``spans`` blanked out, offsets kept."""
    chars = list(sentence)
    for start, end in spans:
        for i in range(max(start - offset, 0), min(end - offset, len(chars))):
            chars[i] = " "
    return "".join(chars)


_REPORT_VERBS = REPORTING | _EN.words(_TABLE, "report_date_verbs")


def _report_dates(doc: Any, sentence: str, offset: int) -> list[tuple[int, int]]:
    """Spans of the date phrases that date the report rather than the event ("forces
    today confirmed the arrest ... on Saturday": "today" goes with "confirmed"), when
    another phrase is left to date the event."""
    if doc is None:
        return []
    phrases = find_date_phrases(sentence)
    if len(phrases) < 2:
        return []
    spans = []
    for phrase in phrases:
        span = doc.char_span(offset + phrase.start, offset + phrase.end, alignment_mode="expand")
        if span is not None and len(span) and span.root.head.lemma_.lower() in _REPORT_VERBS:
            spans.append((offset + phrase.start, offset + phrase.end))
    return spans if len(spans) < len(phrases) else []


_HOW_MARKERS = _EN.words(_TABLE, "how_markers")


def _agents_of_how_clause(trigger: Any, bounds: range) -> list[RoleMention]:
    """The subject of a "when/as/after ..." clause hanging from a death word with no agent
    of its own, when that clause's verb is an act of violence by someone."""
    found = []
    for clause in trigger.children:
        if clause.dep_ != "advcl" or clause.pos_ != "VERB" or clause.lemma_.lower() not in ALL_TRIGGERS:
            continue
        if not any(c.dep_ in ("mark", "advmod") and c.lower_ in _HOW_MARKERS for c in clause.children):
            continue
        subjects = [c for c in clause.children if c.dep_ == "nsubj"]
        found.extend(mention_of(s, bounds) for s in subjects)
    return found


def _coded_trigger(sent: Any, event: Event) -> Any | None:
    """The token of the sentence the code stage found the event by (its trigger's last word)."""
    if sent is None or not event.trigger:
        return None
    last = event.trigger.split()[-1]
    return next((t for t in sent if t.text == last), None)


_ONGOING_LEMMAS = _EN.words(_TABLE, "ongoing_lemmas")


def _generic_noun(trigger: Any) -> bool:
    """Whether an event's trigger names violence as a kind rather than a happening: a
    bare noun (no article, number or possessor: "sexual violence", "attacks",
    "looting") that no past-tense verb governs ("encounter", "are subject to", "accuses
    ... of"). "Heard gunfire", "fired stun grenades" and "an attack" are happenings."""
    if trigger is None:
        return False
    gerund = trigger.tag_ == "VBG" and trigger.dep_ in ("pobj", "conj") and not any(
        c.dep_ in ("aux", "nsubj") for c in trigger.children)  # "accuses them of killing, looting"
    if trigger.pos_ != "NOUN" and not gerund:
        return False
    if any(c.dep_ in ("det", "nummod", "poss") for c in trigger.children):
        return False
    first = trigger
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head
    if first.dep_ in ("nsubj", "nsubjpass", "ROOT"):
        return False  # the noun acts: "airstrikes kill 50", "fighting continues"
    node = trigger
    while node.head.i != node.i:
        node = node.head
        if node.tag_ in ("VBD", "VBN") or (node.tag_ == "VBG" and any(c.dep_ == "aux" for c in node.children)
                                           and node.lemma_.lower() not in _ONGOING_LEMMAS):
            return False
        if node.pos_ == "NOUN" and any(c.dep_ == "nummod" for c in node.children):
            return False  # "221 cases of rape": counted happenings
    return True


# A killing or kidnapping told without an ACLED type (PLOVER ASSAULT alone: "a reporter
# was killed this morning", "guerrillas kidnapped a businessman") is still political
# violence; its ACLED type follows from its target.
_KILLING_LEMMAS = _EN.words(_TABLE, "killing_lemmas")
_ABDUCTION_LEMMAS = _EN.words(_TABLE, "abduction_lemmas")
_ARMED_INTER = {1, 2, 3, 4, 8}


def acled_code_for(event: Event, trigger: Any, inter1: int | None, inter2: int | None) -> str | None:
    """The ACLED sub-type code an event should carry by who hit whom, or None to keep
    its own: a killing or kidnapping typed PLOVER-only gets *Attack* or *Abduction*
    (*Armed clash* when both sides are armed); an *Armed clash* whose target is
    civilians is an *Attack* on them."""
    lemma = trigger.lemma_.lower() if trigger is not None else ""
    if event.event_type is None and event.plover_type == "ASSAULT":
        if lemma in _ABDUCTION_LEMMAS:
            return "abduction"
        if lemma in _KILLING_LEMMAS:
            return "armed_clash" if inter1 in _ARMED_INTER and inter2 in _ARMED_INTER else "attack"
    if event.sub_event_type == "Armed clash" and inter2 == 7:
        return "attack"
    return None


def retype_by_target(event: Event, trigger: Any) -> bool:
    """Give ``event`` the ACLED type :func:`acled_code_for` says; True if it changed."""
    subtype = load_codebook().subtypes.get(acled_code_for(event, trigger, event.inter1, event.inter2) or "")
    if subtype is None:
        return False
    event.disorder_type, event.event_type = subtype.disorder_type, subtype.event_type
    event.sub_event_type = subtype.sub_event_type
    return True


@registry.stages.register("resolve")
class ArgumentResolver:
    """Fills in the arguments of ``document.events``; may split an event by place."""

    requires: tuple[str, ...] = ("doc", "places", "events")
    assigns: tuple[str, ...] = ("events",)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings.resolve
        self.actors: ActorDictionary = load_actor_dictionary(settings)
        self._all_settings = settings
        self._gazetteer: Gazetteer | None = None  # loaded when a town's county is first asked

    def __call__(self, document: Document) -> Document:
        if not document.events:
            return document
        # geoparse already left out people's names ("Abbasi added"): every place is a candidate.
        plausible = named_countries_only(document.places)
        context = ArticleContext.from_places(plausible)
        text = document.article.text
        context.armed_groups = self.actors.named_groups(text)
        # A dateline tells where the report was filed: its places locate nothing.
        datelines = dateline_spans(text)
        places = without_datelines(datelines, plausible) or plausible
        conflicts = address_conflicts(text, places)
        places = [p for i, p in enumerate(places) if i not in conflicts]
        focus = focus_location(places, context.focus_country)
        published = parse_published(document.article.published.date)
        doc = document.doc
        lead_date = self._lead_date(doc, document.article.body_start, text, published, datelines)
        every_place = [(p.start, p.end) for p in document.places]
        # Roles and triggers first: the toll of a sentence goes to the event whose trigger
        # is nearest the death figure, so every event of the sentence must be known.
        prepared = [(event, self._parse(doc, event)) for event in document.events]
        toll_owner = self._toll_owners(prepared)
        resolved: list[Event] = []
        for event, (sent, trigger) in prepared:
            resolved.extend(
                self._resolve(event, sent, trigger, doc, places, context, focus, published, lead_date, datelines,
                              every_place,
                              owns_toll=toll_owner.get((event.evidence.start, event.evidence.end)) == event.id)
            )
        document.events = resolved
        return document

    # -- helpers -------------------------------------------------------------------
    @staticmethod
    def _lead_date(doc: Any, body_start: int, text: str, published: dt.date | None,
                   datelines: list[tuple[int, int]]) -> str | None:
        """The day the story's lede gives ("... in Ghazni province yesterday"): the first
        date phrase of the body's first sentences, outside datelines, that lies within a
        week before publication."""
        if doc is None or published is None:
            return None
        seen = 0
        for sent in doc.sents:
            if sent.end_char <= body_start:
                continue
            start = max([sent.start_char] + [e for s, e in datelines if s < sent.end_char and e > sent.start_char])
            date, _, precision = resolve_event_date(text[start:sent.end_char], published)
            if date is not None and precision == 1 and 0 <= (published - dt.date.fromisoformat(date)).days <= LEAD_MAX_DAYS:
                return date
            seen += 1
            if seen >= LEAD_SENTENCES:
                return None
        return None

    @staticmethod
    def _parse(doc: Any, event: Event) -> tuple[Any, Any]:
        if doc is None:
            return None, None
        sent = doc.char_span(event.evidence.start, event.evidence.end, alignment_mode="expand")
        if sent is None or not len(sent):
            return None, None
        return sent, find_trigger(sent, event.event_type)

    @staticmethod
    def _toll_owners(prepared: list[tuple[Event, tuple[Any, Any]]]) -> dict[tuple[int, int], str]:
        owners: dict[tuple[int, int], str] = {}
        by_sentence: dict[tuple[int, int], list[tuple[Event, Any]]] = {}
        for event, (_, trigger) in prepared:
            if counts_deaths(event):
                by_sentence.setdefault((event.evidence.start, event.evidence.end), []).append((event, trigger))
        for key, items in by_sentence.items():
            figures = count_casualties(items[0][0].evidence.sentence).figures
            deaths = [f for f in figures if f.kind == "deaths"]
            if deaths and len(items) > 1:
                at = key[0] + deaths[0].start
                items = sorted(items, key=lambda it: abs(it[1].idx - at) if it[1] is not None else 1 << 30)
            owners[key] = items[0][0].id
        return owners

    def _actor(self, mention: RoleMention | None, doc: Any, context: ArticleContext, violent: bool, acled: bool,
               places_spans: list[tuple[int, int]]) -> ResolvedActor | None:
        if mention is None or mention.text.strip().lower() in _PRONOUNS:
            return None
        resolved = self.actors.resolve(mention.text, context, violent)
        if resolved is None:
            return None
        if resolved.kind not in ARMED_GROUP_KINDS:
            # "the army of National Liberation (ELN)", "Revolutionary Armed Forces of
            # Colombia": the group's name runs past the trimmed head
            resolved = self._named_by_tail(mention, doc, context, violent) or resolved
        if not resolved.known:
            span = doc[mention.start:mention.end]
            # A place named as a target ("shelled Daraa") is where, not whom.
            if any(s <= span.start_char and span.end_char <= e for s, e in places_spans):
                return None
            # Unknown names are kept only when they look like a group: a proper name or
            # an armed-group head word ("the Sanaa Brigade"); "a hospital" is not an actor.
            if resolved.inter is None and not any(_looks_named(t, people=not acled) for t in span):
                return None
        return resolved

    def _named_by_tail(self, mention: RoleMention, doc: Any, context: ArticleContext,
                       violent: bool) -> ResolvedActor | None:
        """The named armed group a mention's "of" phrase or bracketed acronym completes."""
        head = doc[mention.head]
        tails = [c for c in head.children if (c.dep_ == "prep" and c.lower_ == "of") or c.dep_ == "appos"]
        if not tails:
            return None
        end = min(max(t.right_edge.i for t in tails) + 1, mention.start + 16)
        wider = self.actors.resolve(doc[mention.start:end].text, context, violent)
        return wider if wider is not None and wider.kind in ARMED_GROUP_KINDS else None

    @staticmethod
    def _named_group(actor: ResolvedActor | None, other: ResolvedActor | None,
                     context: ArticleContext) -> ResolvedActor | None:
        """"The insurgents" of a story that names one armed group are that group, unless
        the event's other side is that group."""
        if actor is None or actor.kind not in ("opposition", "unidentified") or len(context.armed_groups) != 1:
            return actor
        words = actor.text.lower().split()
        group = context.armed_groups[0]
        if not words or words[-1] not in _FIGHTER_HEADS or (other is not None and other.name == group.name):
            return actor
        return dataclasses.replace(group, text=actor.text)

    def _default_actor1(self, event: Event, context: ArticleContext, location: Location | None) -> ResolvedActor | None:
        default = _DEFAULT_ACTOR1.get(event.event_type or "")
        if default is None:
            return None
        code = (location.country_code if location else None) or context.focus_country
        country = self.actors.country_name(code)
        name = default[0].replace("{country}", country) if country else default[0].replace(" ({country})", "")
        return ResolvedActor(name, default[1], code, None, None, "")

    def _as_agent(self, actor: ResolvedActor | None, event: Event, violent: bool) -> ResolvedActor | None:
        """ACLED names the people who act by what they do: civilians who demonstrate are
        protesters, who riot rioters; "the Syrians" who strike are Syria's forces."""
        if actor is None or actor.inter != 7 or not actor.country:
            return actor
        country = self.actors.country_name(actor.country)
        if event.event_type == "Protests":
            return ResolvedActor(f"Protesters ({country})", 6, actor.country, "protesters", None, actor.text)
        if event.event_type == "Riots":
            return ResolvedActor(f"Rioters ({country})", 5, actor.country, "rioters", None, actor.text)
        if actor.kind == "people":
            if violent:
                return ResolvedActor(f"Military Forces of {country}", 1, actor.country, "state_forces", None, actor.text)
            return ResolvedActor(f"Government of {country}", 1, actor.country, "government", None, actor.text)
        return actor

    def _resolve(self, event: Event, sent: Any, trigger: Any, doc: Any, places: list[Place],
                 context: ArticleContext, focus: Location | None, published: dt.date | None,
                 lead_date: str | None, datelines: list[tuple[int, int]], places_spans: list[tuple[int, int]],
                 owns_toll: bool) -> list[Event]:
        violent = counts_deaths(event) or event.event_type in VIOLENT_TYPES
        # 1-2. actors
        actor1 = actor2 = None
        assoc1: list[ResolvedActor] = []
        assoc2: list[ResolvedActor] = []
        if sent is not None:
            roles = extract_roles(sent, trigger)
            acled = event.event_type is not None
            # A victim is never the one who acts: "an IS leader is dead, killed in a joint
            # operation" has IS as the target, whatever the parse made its subject.
            victims = victim_heads(sent)
            if violent and any(m.head in victims for m in roles.agents):
                roles.patients = [m for m in roles.agents if m.head in victims] + roles.patients
                roles.agents = [m for m in roles.agents if m.head not in victims]
            if violent and not roles.agents and trigger is not None:
                # "seven soldiers were killed when M23 rebels attacked army positions", "a
                # youth died when police opened fire": the one who acts is in the clause
                # that tells how
                roles.agents = _agents_of_how_clause(trigger, range(sent.start, sent.end))
            agents = [a for a in (self._actor(m, doc, context, violent, acled, places_spans) for m in roles.agents) if a]
            patients = [a for a in (self._actor(m, doc, context, violent, acled, places_spans) for m in roles.patients) if a]
            assoc1 = [a for a in (self._actor(m, doc, context, violent, acled, places_spans) for m in roles.agent_associates) if a]
            assoc2 = [a for a in (self._actor(m, doc, context, violent, acled, places_spans) for m in roles.patient_associates) if a]
            if agents:
                actor1, assoc1 = agents[0], agents[1:] + assoc1
            if patients:
                actor2, assoc2 = patients[0], patients[1:] + assoc2
            actor1, actor2 = self._named_group(actor1, actor2, context), self._named_group(actor2, actor1, context)
        # 3. places
        locations: list[Location | None]
        if sent is not None:
            found = locate_event(doc, event.evidence.start, event.evidence.end, places, trigger, focus)
            locations = list(found) if found else [None]
        else:
            locations = [focus]
        # 4. date
        anchor = (trigger.idx - event.evidence.start) if trigger is not None else None
        # The dateline's date is the report's, not the event's: "(Nov. 27) - forces killed
        # 15 insurgents last night" happened the night before.
        dated_text = _blank(event.evidence.sentence, event.evidence.start, datelines)
        dated_text = _blank(dated_text, event.evidence.start, _report_dates(doc, dated_text, event.evidence.start))
        date, date_text, precision = resolve_event_date(dated_text, published, anchor)
        if date is None and date_text is None and lead_date is not None and event.is_current:
            # No phrase: the day the lede gives the story ...
            date, precision = lead_date, 1
        elif date is None and date_text is None and published is not None and event.is_current:
            # ... else the report's own week (ACLED's practice), never a precise day.
            date, precision = published.isoformat(), 2
        modality = event.modality
        # The latest day each phrase can mean: a bare year ("in 2018", left undated) its
        # 31 December; "since February 2022" the end of that month.
        year = _BARE_YEAR.search(date_text or "") if date is None else None
        latest = [date, f"{year.group(1)}-12-31" if year else None]
        since = since_date(event.evidence.sentence, published)
        latest.append(since.isoformat() if since else None)
        if event.is_current and event.event_type is not None and date_text is None \
                and _generic_noun(_coded_trigger(sent, event) or trigger):
            # "others encounter discrimination or sexual violence", "people are subject
            # to attacks": violence named as a kind, not as a happening
            modality = "historical"
        elif event.is_current and _TALLY.search(event.evidence.sentence):
            # "1,250 terrorists have been killed in the last 15 months": a tally over a
            # period, not one happening
            modality = "historical"
        elif event.is_current and any(is_past_news(d, published, self.settings.historical_after_days) for d in latest):
            # "has been hit repeatedly since February 2022": grammar said asserted, the
            # calendar says background. Old happenings retold are not new events.
            modality = "historical"
        # 5. fatalities
        deaths, injuries = 0, None
        if violent and owns_toll:
            casualties = count_casualties(event.evidence.sentence, sent)
            deaths, injuries = casualties.deaths or 0, casualties.injuries
        shares = split_evenly(deaths, len(locations))
        injury_shares = split_evenly(injuries, len(locations)) if injuries is not None else [None] * len(locations)
        if actor1 is None and actor2 is None or actor1 is None and event.event_type in _DEFAULT_ACTOR1:
            actor1 = self._default_actor1(event, context, locations[0])
        actor1 = self._as_agent(actor1, event, violent)
        if actor1 is not None and actor2 is not None and actor1.name == actor2.name:
            actor2 = None
        results = []
        for index, location in enumerate(locations):
            filled = dataclasses.replace(event, sources=list(event.sources))
            if len(locations) > 1:
                geonameid = location.place.geonameid if location and location.place else None
                filled.id = split_event_id(event.id, geonameid, index)
            filled.event_date, filled.date_text, filled.time_precision = date, date_text, precision
            filled.modality = modality
            filled.actor1 = actor1.name if actor1 else None
            filled.inter1 = actor1.inter if actor1 else None
            filled.assoc_actor_1 = "; ".join(dict.fromkeys(a.name for a in assoc1 if not actor1 or a.name != actor1.name)) or None
            filled.actor2 = actor2.name if actor2 else None
            filled.inter2 = actor2.inter if actor2 else None
            filled.assoc_actor_2 = "; ".join(dict.fromkeys(a.name for a in assoc2 if not actor2 or a.name != actor2.name)) or None
            if retype_by_target(filled, trigger):
                if filled.actor1 is None:
                    default = self._default_actor1(filled, context, location)
                    if default is not None:
                        filled.actor1, filled.inter1 = default.name, default.inter
            filled.sub_event_type = territory_subtype(filled.sub_event_type, filled.inter1)
            if filled.sub_event_type in ACTOR_DEFINED_SUBTYPES and not filled.actor1 and not filled.actor2:
                # These developments are who did what with whom: with nobody named ("a deal
                # that secures the base", "the base houses nuclear weapons") it is no ACLED
                # event; the PLOVER reading stays. (Arrests and destruction happen to
                # someone or something even when the text names no actor.)
                filled.disorder_type = filled.event_type = filled.sub_event_type = None
                if filled.plover_type is None:
                    continue
            filled.interaction = interaction_code(filled.inter1, filled.inter2)
            filled.civilian_targeting = civilian_targeting(filled.inter2)
            self._place(filled, location)
            if filled.country and actor1 is not None and actor1.kind in ("protesters", "rioters"):
                # ACLED names protesters by the country they protest in, not by the
                # country they protest against ("... in front of Israel's consulate in Istanbul")
                filled.actor1 = f"{filled.actor1.split(' (')[0]} ({filled.country})"
            filled.fatalities = shares[index] if shares else 0
            filled.injuries = injury_shares[index]
            filled.notes = write_notes(filled, actor1.unit if actor1 else None)
            results.append(filled)
        return results

    def _place(self, event: Event, location: Location | None) -> None:
        if location is None:
            return
        event.geo_precision = location.precision
        event.iso = location.country_code
        event.country = self.actors.country_name(location.country_code)
        place = location.place
        if place is None:
            return
        event.geonameid = place.geonameid
        event.latitude, event.longitude = place.latitude, place.longitude
        if place.kind == "country":
            event.location = event.country
        elif place.kind == "admin1":
            event.admin1 = place.admin1 or place.name
            event.location = place.name
        else:
            event.admin1 = place.admin1
            event.admin2 = place.name if place.kind == "admin2" else self._admin2(place.geonameid)
            event.location = place.name

    def _admin2(self, geonameid: int | None) -> str | None:
        """The county or district of a town, from the gazetteer geoparse already loaded."""
        if geonameid is None:
            return None
        if self._gazetteer is None:
            self._gazetteer = load_gazetteer(self._all_settings)
        return self._gazetteer.admin2_name(geonameid)
