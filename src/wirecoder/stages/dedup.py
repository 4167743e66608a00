"""Stage 7, ``dedup``: events from different articles that report one happening merge
into one event. The dataset counts events, not reports.

Two reports are compared part by part; each part either *vetoes* the merge (with the
reason) or gives a score in [0, 1]. The weighted sum must reach
``settings.dedup.min_score``. Over-merging is as wrong as under-merging, so the hard
rules are strict and anything unknown scores low rather than high:

1. **type** (weight 0.3): the same ACLED ``event_type`` (1.0, or 0.8 when the sub-event
   types differ). Two pairs are compatible at 0.5 *only on the same known day*, because
   outlets describe one fight differently: Battles ~ Explosions/Remote violence (a clash
   with shelling) and Protests ~ Riots (a march that turned violent). Events without an
   ACLED type (statements, requests) need the same PLOVER type.
2. **place** (0.3): different countries veto. With coordinates on both sides, the same
   GeoNames id is 1.0; within ``max_distance_km`` (haversine) 1.0 falling to 0.5 at the
   limit; farther vetoes — two battles in two towns on one day stay two — except that a
   report placed only at a province and a more precise one inside that province score
   0.3 (the province's centre says nothing about the distance). Without
   coordinates on a side: the same place name 1.0, the same province 0.3, else veto
   ("same place" cannot be established, and a country can see many clashes a day).
3. **date** (0.2): both dated: within ``window_days`` (1.0 the same day, falling with the
   gap), else veto. An undated side only merges when the articles' publication dates
   lie within the window (0.5); unknown publication dates veto.
4. **actors** (0.2): the same canonical ``actor1`` 1.0 (0 if both name different
   ``actor2``); the same actors in swapped roles 0.8 (ACLED's actor order carries no
   direction); one side without a named actor 0.4 ("Unidentified ..." names no one);
   two different named ``actor1`` with no overlap veto. Statements (no ACLED type, PLOVER
   only) and Strategic developments are defined by who did what to whom, so they need
   the same named actor1 *and* the same actor2.

Events of one article never merge with each other here (the coder already decided they
are distinct), and only current events (asserted, claimed) merge: a denial or a
historical mention is a different statement, not another report of the happening.

The merged event takes the best-supported value of each field (see :func:`combine`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Iterable, Protocol, Sequence

from ..geo import haversine_km
from ..records import Event, Evidence
from ..reports import Candidate, CandidateQuery, MergedEvent, Outcome, Report
from ..settings import DedupSettings

__all__ = ["Candidate", "CandidateSource", "MergeScore", "Report", "assign", "combine", "decide", "merged_event",
           "recombine", "score", "split_names"]

WEIGHTS: dict[str, float] = {"type": 0.3, "place": 0.3, "date": 0.2, "actors": 0.2}

# Event types that outlets use for one happening; compatible only on the same known day.
COMPATIBLE_TYPES: frozenset[frozenset[str]] = frozenset({
    frozenset({"Battles", "Explosions/Remote violence"}),
    frozenset({"Protests", "Riots"}),
})

# Events whose identity is who-to-whom: they merge only with the same named actors.
ACTOR_DEFINED_TYPES: frozenset[str | None] = frozenset({None, "Strategic developments"})


class CandidateSource(Protocol):
    """Where dedup finds the stored events a report may join: the store implements it
    (:class:`wirecoder.store.Store`); a test can hand a list."""

    def candidates_near(self, queries: Sequence[CandidateQuery]) -> list[Candidate]:
        """The stored current events any of ``queries`` selects, each once."""
        ...

    def reports_of(self, event_id: str) -> list[Report]:
        """The reports a stored event is merged from."""
        ...


@dataclass(slots=True)
class MergeScore:
    parts: dict[str, float] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    veto: str | None = None

    @property
    def total(self) -> float:
        if self.veto:
            return 0.0
        return round(sum(WEIGHTS[name] * value for name, value in self.parts.items()), 4)

    def to_dict(self) -> dict[str, object]:
        return {"total": self.total, "parts": self.parts, "reasons": self.reasons, "veto": self.veto}


def _days(a: str, b: str) -> int | None:
    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)
    except ValueError:
        return None


def score(new: Report, candidate: Candidate, settings: DedupSettings) -> MergeScore:
    """How well ``new`` fits ``candidate``: named parts, reasons, or the veto."""
    result = MergeScore()
    a, b = new.event, candidate.event
    if not (a.is_current and b.is_current):
        result.veto = "only asserted or claimed events merge"
        return result
    if a.article_id in candidate.article_ids:
        result.veto = "events of one article are not merged with each other"
        return result
    for part in (_type_part, _place_part, _date_part, _actor_part):
        name, value, reason = part(new, candidate, settings)
        if value is None:
            result.veto = f"{name}: {reason}"
            return result
        result.parts[name] = round(value, 4)
        result.reasons[name] = reason
    return result


def _same_known_day(a: Event, b: Event) -> bool:
    return bool(a.event_date and b.event_date and _days(a.event_date, b.event_date) == 0)


def _type_part(new: Report, cand: Candidate, _: DedupSettings) -> tuple[str, float | None, str]:
    a, b = new.event, cand.event
    if a.event_type and b.event_type:
        if a.event_type == b.event_type:
            if a.sub_event_type == b.sub_event_type:
                return "type", 1.0, f"same type ({a.sub_event_type or a.event_type})"
            return "type", 0.8, f"same event type {a.event_type}, sub-types {a.sub_event_type} / {b.sub_event_type}"
        if frozenset({a.event_type, b.event_type}) in COMPATIBLE_TYPES:
            if _same_known_day(a, b):
                return "type", 0.5, f"{a.event_type} ~ {b.event_type} on the same day"
            return "type", None, f"{a.event_type} ~ {b.event_type} merge only on the same known day"
        return "type", None, f"different event types ({a.event_type} / {b.event_type})"
    if a.event_type or b.event_type:
        return "type", None, "one has an ACLED type, the other not"
    if a.plover_type and a.plover_type == b.plover_type:
        return "type", 1.0, f"same PLOVER type {a.plover_type}"
    return "type", None, f"different PLOVER types ({a.plover_type} / {b.plover_type})"


def _place_part(new: Report, cand: Candidate, settings: DedupSettings) -> tuple[str, float | None, str]:
    a, b = new.event, cand.event
    if a.iso and b.iso and a.iso != b.iso:
        return "place", None, f"different countries ({a.iso} / {b.iso})"
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return "place", 1.0, f"same place ({a.location or a.geonameid})"
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        if a.location and a.location == b.location:
            return "place", 1.0, f"same place name ({a.location})"
        if a.admin1 and a.admin1 == b.admin1:
            return "place", 0.3, f"no coordinates on one side; same province ({a.admin1})"
        # "Same place" cannot be established, and a country sees many clashes a day.
        return "place", None, "no coordinates on one side and no common province"
    km = haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)  # type: ignore[arg-type]
    limit = settings.max_distance_km
    if km <= limit:
        return "place", 1.0 - 0.5 * km / limit if limit else 1.0, f"{km:.1f} km apart (limit {limit:g})"
    # A province-level report ("fighting in Daraa province") and a town in that province:
    # the distance between the province's centre and the town says nothing.
    for coarse, fine in ((a, b), (b, a)):
        if _province_level(coarse) and coarse.admin1 and coarse.admin1 == fine.admin1 \
                and (fine.geo_precision or 9) < (coarse.geo_precision or 9):
            return "place", 0.3, f"{fine.location or 'the place'} lies in {coarse.location or coarse.admin1}"
    return "place", None, f"{a.location or 'place'} and {b.location or 'place'} are {km:.0f} km apart (limit {limit:g})"


def _province_level(event: Event) -> bool:
    """Placed at a province (ACLED geo_precision 3) but not at a whole country."""
    return event.geo_precision == 3 and bool(event.admin1) and event.location != event.country


def _date_part(new: Report, cand: Candidate, settings: DedupSettings) -> tuple[str, float | None, str]:
    a, b = new.event, cand.event
    window = settings.window_days
    if a.event_date and b.event_date:
        gap = _days(a.event_date, b.event_date)
        if gap is None or gap > window:
            return "date", None, f"dates {a.event_date} and {b.event_date} more than {window} days apart"
        return "date", 1.0 - gap / (window + 1), f"{gap} day(s) apart"
    # An undated side: lean on when the articles were published.
    pub = new.published
    if not (pub and cand.first_published and cand.last_published):
        return "date", None, "undated, and the publication dates are unknown"
    gaps = [g for g in (_days(pub, cand.first_published), _days(pub, cand.last_published)) if g is not None]
    if not gaps:
        return "date", None, "undated, and the publication dates cannot be read"
    inside = cand.first_published[:10] <= pub[:10] <= cand.last_published[:10]
    if inside or min(gaps) <= window:
        return "date", 0.5, f"undated; articles published within {window} days"
    return "date", None, f"undated; articles published more than {window} days apart"


def _actor_part(new: Report, cand: Candidate, _: DedupSettings) -> tuple[str, float | None, str]:
    a, b = new.event, cand.event
    if a.event_type in ACTOR_DEFINED_TYPES:
        # Statements (PLOVER only) and strategic developments (agreements, arrests, ...)
        # are defined by who did what to whom more than by place: one actor saying things
        # to two parties on one day, or two agreements in one capital, are two events.
        if a.actor1 and a.actor1 == b.actor1 and a.actor2 == b.actor2:
            return "actors", 1.0, f"same actors ({a.actor1} -> {a.actor2 or 'none'})"
        return "actors", None, "statements merge only with the same named actor and recipient"
    if not _named(a.actor1) or not _named(b.actor1):
        return "actors", 0.4, "actor1 missing or unidentified on one side"
    if a.actor1 == b.actor1:
        if a.actor2 and b.actor2 and a.actor2 != b.actor2:
            return "actors", 0.0, f"same actor1 ({a.actor1}), different actor2 ({a.actor2} / {b.actor2})"
        return "actors", 1.0, f"same actor1 ({a.actor1})"
    if a.actor1 == b.actor2 or a.actor2 == b.actor1:
        return "actors", 0.8, "the same actors in swapped roles"
    return "actors", None, f"different actors ({a.actor1} / {b.actor1})"


def _named(actor: str | None) -> bool:
    """An "Unidentified Armed Group (Syria)" identifies no one: compare it as missing."""
    return bool(actor) and not actor.lower().startswith("unidentified")  # type: ignore[union-attr]


def assign(
    new: Sequence[Report], candidates: Sequence[Candidate], settings: DedupSettings
) -> list[tuple[Report, Candidate | None, MergeScore | None]]:
    """Pair each new report (all from one article) with at most one stored event, and
    each stored event with at most one of them: greedily by best score, ties broken by
    ids so that the outcome never depends on the order of the inputs here."""
    pairs: list[tuple[float, str, str, int, int, MergeScore]] = []
    for i, report in enumerate(new):
        for j, cand in enumerate(candidates):
            s = score(report, cand, settings)
            if not s.veto and s.total >= settings.min_score:
                # On equal scores the better-established event (more reports) wins.
                pairs.append((-s.total, -len(cand.article_ids), report.event.id, cand.event.id, i, j, s))
    pairs.sort(key=lambda p: p[:4])
    taken_new: dict[int, tuple[int, MergeScore]] = {}
    taken_cand: set[int] = set()
    for *_, i, j, s in pairs:
        if i not in taken_new and j not in taken_cand:
            taken_new[i] = (j, s)
            taken_cand.add(j)
    result: list[tuple[Report, Candidate | None, MergeScore | None]] = []
    for i, report in enumerate(new):
        if i in taken_new:
            j, s = taken_new[i]
            result.append((report, candidates[j], s))
        else:
            result.append((report, None, None))
    return result


def split_names(value: str | None) -> list[str]:
    """The names of a "; "-separated actor field (``assoc_actor_1`` holds several)."""
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def nearby(report: Report, settings: DedupSettings) -> CandidateQuery | None:
    """What to ask the candidate source for ``report``: events of a type it could merge
    with (:data:`COMPATIBLE_TYPES`), near its date or its article's publication date.
    None when it has neither date (no stored event can then be near it)."""
    e = report.event
    if not (e.event_date or report.published):
        return None
    types: tuple[str, ...] = ()
    if e.event_type:
        types = tuple(sorted({e.event_type} | {t for pair in COMPATIBLE_TYPES if e.event_type in pair for t in pair}))
    return CandidateQuery(types, None if types else e.plover_type, e.event_date, report.published,
                          settings.window_days)


def decide(reports: Sequence[Report], source: CandidateSource, settings: DedupSettings) -> list[Outcome]:
    """The dedup step for one article's reports: which create new events and which join
    stored ones (:func:`assign`), with each resulting event's fields (:func:`combine`).

    Current reports come first, in order, then the denied, historical, future and
    hypothetical ones, which are kept (flagged) as events of their own, never merged.
    The source is read here and nothing is written: the store writes the outcomes,
    in the same transaction as these reads, so no other writer comes in between."""
    current = [r for r in reports if r.event.is_current]
    queries = [q for q in (nearby(r, settings) for r in current) if q is not None]
    candidates = source.candidates_near(queries) if queries else []
    outcomes: list[Outcome] = []
    for report, candidate, merge in assign(current, candidates, settings):
        if candidate is None or merge is None:
            outcomes.append(Outcome(report, merged_event([report], report.event.id)))
        else:
            event_id = candidate.event.id
            outcomes.append(Outcome(report, merged_event([*source.reports_of(event_id), report], event_id),
                                    merged_into=event_id, score=merge.to_dict()))
    outcomes += [Outcome(r, merged_event([r], r.event.id)) for r in reports if not r.event.is_current]
    return outcomes


def recombine(event_ids: Iterable[str], source: CandidateSource) -> list[tuple[str, MergedEvent | None]]:
    """Each event as its remaining reports make it (None: no report left, drop it); for
    events that lost reports when an article was taken out of the store."""
    result: list[tuple[str, MergedEvent | None]] = []
    for event_id in event_ids:
        reports = source.reports_of(event_id)
        result.append((event_id, merged_event(reports, event_id) if reports else None))
    return result


def merged_event(reports: Sequence[Report], event_id: str) -> MergedEvent:
    """:func:`combine`'s event with its report count and publication span."""
    dates = sorted(r.published[:10] for r in reports if r.published)
    return MergedEvent(combine(reports, event_id), len(reports), dates[0] if dates else None,
                       dates[-1] if dates else None)


def _vote(values: Iterable[str | None]) -> str | None:
    """The most frequent non-empty value; ties go to the alphabetically first."""
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], v))


def combine(reports: Sequence[Report], event_id: str) -> Event:
    """The merged event of ``reports``: each field takes its best-supported value.

    - place: the most precise report (lowest ``geo_precision``; then higher confidence);
    - date: the most precise ``time_precision``, then the date most reports give;
    - type: the sub-event type with the most reports (confidence breaks ties);
    - actors: the actor1/actor2 most reports name; associated actors are the union;
    - fatalities: ACLED's conservative rule — where reports differ, the *lowest* reported
      toll. A report that gives no toll (0) is silent, not a report of zero, so the
      minimum is over reports with deaths; 0 when none reports any. Injuries likewise;
    - modality: ``asserted`` if any report asserts it, else ``claimed``;
    - confidence: the highest; evidence and notes: the most confident report's;
    - sources: every report's article id, earliest published first.
    """
    ordered = sorted(reports, key=lambda r: (r.published or "9999-99-99", r.event.article_id, r.event.id))
    events = [r.event for r in ordered]
    if len(events) == 1:  # a single report is its own best value for every field
        return replace(events[0], id=event_id, sources=[events[0].article_id])
    rank = {id(e): i for i, e in enumerate(events)}
    lead = min(events, key=lambda e: (-e.confidence, rank[id(e)]))
    merged = replace(lead, id=event_id, article_id=events[0].article_id)

    place = min(events, key=lambda e: (e.geo_precision or 9, e.latitude is None, -e.confidence, rank[id(e)]))
    for name in ("country", "iso", "admin1", "admin2", "location", "geonameid", "latitude", "longitude", "geo_precision"):
        setattr(merged, name, getattr(place, name))

    dated = [e for e in events if e.event_date]
    if dated:
        votes = Counter(e.event_date for e in dated)
        when = min(dated, key=lambda e: (e.time_precision or 9, -votes[e.event_date], e.event_date, rank[id(e)]))
        merged.event_date, merged.time_precision, merged.date_text = when.event_date, when.time_precision, when.date_text

    typed = Counter(e.sub_event_type or e.event_type or e.plover_type for e in events)
    confidence_by = Counter()
    for e in events:
        confidence_by[e.sub_event_type or e.event_type or e.plover_type] += e.confidence
    kind = min(typed, key=lambda k: (-typed[k], -confidence_by[k], k or ""))
    typer = min((e for e in events if (e.sub_event_type or e.event_type or e.plover_type) == kind),
                key=lambda e: (-e.confidence, rank[id(e)]))
    for name in ("disorder_type", "event_type", "sub_event_type", "plover_type", "plover_mode", "civilian_targeting"):
        setattr(merged, name, getattr(typer, name))
    if any(e.civilian_targeting for e in events) and not merged.civilian_targeting:
        merged.civilian_targeting = next(e.civilian_targeting for e in events if e.civilian_targeting)

    _combine_actors(merged, events)

    tolls = [e.fatalities for e in events if e.fatalities > 0]
    merged.fatalities = min(tolls) if tolls else 0
    injuries = [e.injuries for e in events if e.injuries]
    merged.injuries = min(injuries) if injuries else (0 if any(e.injuries == 0 for e in events) else None)

    merged.modality = "asserted" if any(e.modality == "asserted" for e in events) else lead.modality
    said = [e for e in events if e.modality == merged.modality]
    merged.attribution = said[0].attribution if said else lead.attribution
    merged.confidence = max(e.confidence for e in events)
    merged.evidence = Evidence(lead.evidence.sentence, lead.evidence.start, lead.evidence.end)
    merged.sources = list(dict.fromkeys(e.article_id for e in events))
    return merged


def _combine_actors(merged: Event, events: Sequence[Event]) -> None:
    """actor1: the one most reports name first; actor2: the one most reports name
    against it (ACLED's order carries no direction, so swapped roles count)."""
    actor1 = _vote(e.actor1 for e in events)

    def other_side(e: Event) -> str | None:
        if e.actor2 == actor1:
            return e.actor1
        return e.actor2

    actor2 = _vote(name for name in map(other_side, events) if name != actor1)
    merged.actor1, merged.actor2 = actor1, actor2
    for side, name in (("1", actor1), ("2", actor2)):
        inter: int | None = None
        associated: dict[str, None] = {}
        for e in events:
            if name and e.actor1 == name:
                inter = inter if inter is not None else e.inter1
                associated.update(dict.fromkeys(split_names(e.assoc_actor_1)))
            elif name and e.actor2 == name:
                inter = inter if inter is not None else e.inter2
                associated.update(dict.fromkeys(split_names(e.assoc_actor_2)))
        setattr(merged, f"inter{side}", inter)
        setattr(merged, f"assoc_actor_{side}", "; ".join(sorted(associated)) or None)
    if any(e.actor1 == actor1 and e.actor2 == actor2 and e.interaction is not None for e in events):
        merged.interaction = next(e.interaction for e in events if e.actor1 == actor1 and e.actor2 == actor2
                                  and e.interaction is not None)
        return
    inters = sorted(i for i in (merged.inter1, merged.inter2) if i is not None)
    # ACLED's interaction code: the two inter codes, smaller first (a sole actor: x0).
    merged.interaction = (10 * inters[0] + inters[1]) if len(inters) == 2 else (10 * inters[0] if inters else None)
