"""Stage 6, ``consolidate``: within one article, the mentions that report one happening
become one event. A story retells its main incident in the lede, the body and the
quotes; ACLED's unit is one happening (one actor pair, one place, one day), so a
conflict story should yield a handful of events, not one per sentence.

Two mentions of an article are the same happening when every part agrees:

1. **kind**: the same ACLED event type; or two types of political violence (a strike
   told once as "an air strike" and once as "insurgents were killed"); or a protest
   and a riot. Arrests, agreements and other strategic developments need the same
   sub-event type; PLOVER-only mentions the same PLOVER type.
2. **place**: the same place; or one of them is only placed by the article's focus,
   its country or a province that holds the other. Two different towns, or two
   provinces, stay two events.
3. **date**: the same day, or one of them has no day of its own (a week or month
   inherited from the report's date).
4. **actors**: each side's named actors (not "Unidentified ...") overlap, in any
   role, or one side names none. Two different named perpetrators stay two events.
   Two kinds of violence merge only when the lesser one (a clash or attack found by a
   death word) names no perpetrator of its own, or the same one.
5. **modality**: both current (asserted or claimed), or the same non-current modality.

The merged event keeps the first mention's id and evidence (the lede, as a reader
meets it), lists every sentence in ``mentions``, and takes each field from the mention
that knows it best: the most specific type (a mechanism such as an air strike over a
bare "killed"), the first named actors, the most precise place and date, and the
**largest** single toll - a story that repeats "three insurgents were killed" has
three dead, not six (different sentences of one happening retell, they do not add).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from .. import registry
from ..records import Document, Event, Evidence
from ..settings import Settings
from .resolve import retype_by_target
from .resolve.actors import civilian_targeting, interaction_code
from .resolve.notes import write_notes

VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
DEMONSTRATION_TYPES = frozenset({"Protests", "Riots"})
# Which type names a happening best when mentions differ: the mechanism ("air strike",
# "shelling") says more than a clash or attack found by a death word.
TYPE_RANK = {"Explosions/Remote violence": 0, "Battles": 1, "Violence against civilians": 2, "Riots": 0, "Protests": 1}
PLACE_FIELDS = ("country", "iso", "admin1", "admin2", "location", "geonameid", "latitude", "longitude", "geo_precision")
TYPE_FIELDS = ("disorder_type", "event_type", "sub_event_type", "plover_type", "plover_mode", "civilian_targeting")


def _named(actor: str | None) -> bool:
    """An actor the text names (``Unidentified ...`` is ACLED's word for nobody)."""
    return bool(actor) and not actor.startswith("Unidentified")  # type: ignore[union-attr]


def named_actors(event: Event) -> set[str]:
    names = [event.actor1, event.actor2, *(event.assoc_actor_1 or "").split(";"), *(event.assoc_actor_2 or "").split(";")]
    return {n.strip() for n in names if _named(n and n.strip())}


def same_kind(a: Event, b: Event) -> bool:
    if a.event_type is None or b.event_type is None:
        return a.event_type is None and b.event_type is None and a.plover_type == b.plover_type
    if a.event_type in VIOLENT_TYPES and b.event_type in VIOLENT_TYPES:
        return True
    if a.event_type in DEMONSTRATION_TYPES and b.event_type in DEMONSTRATION_TYPES:
        return True
    return a.sub_event_type == b.sub_event_type


def same_place(a: Event, b: Event) -> bool:
    if a.iso and b.iso and a.iso != b.iso:
        return False
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return True
    # A mention placed only by the article's focus, its country or its province says
    # nothing against a more precise one inside it.
    vague = [e for e in (a, b) if e.geonameid is None or (e.geo_precision or 3) >= 2]
    if not vague:
        return False  # two places named by the text itself
    if a.admin1 and b.admin1 and a.admin1 != b.admin1:
        return False
    return True


def same_day(a: Event, b: Event) -> bool:
    if not a.event_date or not b.event_date or a.event_date == b.event_date:
        return True
    return (a.time_precision or 1) > 1 or (b.time_precision or 1) > 1


def same_actors(a: Event, b: Event) -> bool:
    if a.event_type != b.event_type:
        # Two kinds of violence are one happening when one tells the other's toll: "an air
        # strike ... three insurgents were killed". The mention of the lesser kind must
        # then name no other perpetrator: "militants bombed the train" and "the army
        # killed 30 militants" are two happenings.
        lesser = max((a, b), key=lambda e: TYPE_RANK.get(e.event_type or "", 3))
        other = b if lesser is a else a
        return not _named(lesser.actor1) or lesser.actor1 == other.actor1
    ours, theirs = named_actors(a), named_actors(b)
    return not ours or not theirs or bool(ours & theirs)


def same_standing(a: Event, b: Event) -> bool:
    return a.is_current == b.is_current and (a.is_current or a.modality == b.modality)


def same_happening(a: Event, b: Event) -> bool:
    return same_standing(a, b) and same_kind(a, b) and same_place(a, b) and same_day(a, b) and same_actors(a, b)


def group_mentions(events: Iterable[Event]) -> list[list[Event]]:
    """Events in text order, grouped so that every member of a group is the same
    happening as every other (no chaining: A~B and B~C with A and C in two towns stay
    apart)."""
    groups: list[list[Event]] = []
    for event in sorted(events, key=lambda e: (e.evidence.start, e.evidence.end)):
        for group in groups:
            if all(same_happening(member, event) for member in group):
                group.append(event)
                break
        else:
            groups.append([event])
    return groups


def merge(group: list[Event]) -> Event:
    """One event from the mentions of one happening (see the module docstring)."""
    lead = group[0]
    merged = replace(lead, sources=list(lead.sources))
    merged.mentions = _mentions(group)
    if len(group) == 1:
        return merged
    rank = {id(e): i for i, e in enumerate(group)}
    typer = min(group, key=lambda e: (e.event_type is None, TYPE_RANK.get(e.event_type or "", 3), rank[id(e)]))
    for name in TYPE_FIELDS:
        setattr(merged, name, getattr(typer, name))
    with_actor1 = [e for e in group if _named(e.actor1)] or [e for e in group if e.actor1]
    if with_actor1:
        source = with_actor1[0]
        merged.actor1, merged.inter1, merged.assoc_actor_1 = source.actor1, source.inter1, source.assoc_actor_1
    targets = [e for e in group if e.actor2 and e.actor2 != merged.actor1]
    if targets:
        merged.actor2, merged.inter2, merged.assoc_actor_2 = targets[0].actor2, targets[0].inter2, targets[0].assoc_actor_2
    elif merged.actor2 == merged.actor1:
        merged.actor2 = merged.inter2 = None
    retype_by_target(merged, None)  # a clash whose other side turned out to be civilians
    merged.interaction = interaction_code(merged.inter1, merged.inter2)
    merged.civilian_targeting = civilian_targeting(merged.inter2)
    place = min(group, key=lambda e: (e.geo_precision or 9, e.geonameid is None, rank[id(e)]))
    for name in PLACE_FIELDS:
        setattr(merged, name, getattr(place, name))
    dated = [e for e in group if e.event_date]
    if dated:
        when = min(dated, key=lambda e: (e.time_precision or 9, rank[id(e)]))
        merged.event_date, merged.date_text, merged.time_precision = when.event_date, when.date_text, when.time_precision
    merged.fatalities = max(e.fatalities for e in group)
    injuries = [e.injuries for e in group if e.injuries is not None]
    merged.injuries = max(injuries) if injuries else None
    merged.modality = "asserted" if any(e.modality == "asserted" for e in group) else lead.modality
    merged.confidence = max(e.confidence for e in group)
    merged.notes = write_notes(merged)
    return merged


def _mentions(group: list[Event]) -> list[Evidence]:
    seen: dict[tuple[int, int], Evidence] = {}
    for event in group:
        for evidence in event.mentions or [event.evidence]:
            seen.setdefault((evidence.start, evidence.end), evidence)
    return [seen[k] for k in sorted(seen)]


@registry.stages.register("consolidate")
class Consolidator:
    """Merges ``document.events`` that report one happening (see the module docstring)."""

    requires: tuple[str, ...] = ("events",)
    assigns: tuple[str, ...] = ("events",)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __call__(self, document: Document) -> Document:
        document.events = [merge(group) for group in group_mentions(document.events)]
        return document
