"""Review: an analyst confirms, rejects, edits, merges or splits stored events, and every
change becomes an append-only audit row (who, when, event, field, before, after, why).

The store keeps the analyst's values (:mod:`wirecoder.store.review`) and re-applies them
whenever a run rewrites an event, so a re-run never overwrites a reviewed field. This
module decides what a change means — which fields can be edited and what values they
take, how a merge or split recombines the reports (dedup's :func:`combine`) — and does
each change in one transaction. No SQL here::

    with Store.open("conflict.db") as store:
        edit(store, "3f2a9c0d1e4b5a67", {"fatalities": 3}, who="ana", why="the ministry's figure")
"""

from __future__ import annotations

import json
import math
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any, Callable, Mapping, Sequence

from .errors import ReviewError
from .records import Event
from .stages import dedup
from .store import Store

MODALITIES = ("asserted", "claimed", "denied", "historical", "future", "hypothetical")
MAX_TEXT = 500  # characters of a free-text field, a name or a reason


@lru_cache(maxsize=1)
def acled_types() -> dict[str, tuple[str, str]]:
    """ACLED sub-event type -> (event type, disorder type), from the packaged codebook."""
    data = json.loads(resources.files("wirecoder").joinpath("data/codebook/acled.json").read_text(encoding="utf-8"))
    return {s["sub_event_type"]: (s["event_type"], s["disorder_type"]) for s in data["subtypes"]}


def _text(field: str, value: Any) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise ReviewError(f"{field} must be text of at most {MAX_TEXT} characters, not {value!r:.60}")
    return value.strip()


def _number(field: str, low: float, high: float) -> Callable[[str, Any], float | None]:
    def parse(_: str, value: Any) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                or not low <= value <= high:
            raise ReviewError(f"{field} must be a number from {low:g} to {high:g}, not {value!r}")
        return float(value)
    return parse


def _count(field: str, value: Any, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ReviewError(f"{field} must be a whole number ≥ 0, not {value!r}")
    return value


def _date(field: str, value: Any) -> str | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ReviewError(f"{field} must be a date YYYY-MM-DD, not {value!r}") from None


def _choice(choices: Sequence[Any]) -> Callable[[str, Any], Any]:
    def parse(field: str, value: Any) -> Any:
        if value not in choices:
            raise ReviewError(f"{field} must be one of {', '.join(map(str, choices))}, not {value!r}")
        return value
    return parse


def _sub_event_type(field: str, value: Any) -> str | None:
    if value is None or value == "":
        return None
    if value not in acled_types():
        raise ReviewError(f"{field} {value!r} is not an ACLED sub-event type; one of {', '.join(acled_types())}")
    return str(value)


# The fields an analyst may edit (type, actors, place, date, toll, modality, notes),
# each with the parser that checks its value.
EDITABLE: dict[str, Callable[[str, Any], Any]] = {
    "sub_event_type": _sub_event_type,
    "actor1": _text, "assoc_actor_1": _text, "actor2": _text, "assoc_actor_2": _text,
    "country": _text, "admin1": _text, "admin2": _text, "location": _text,
    "latitude": _number("latitude", -90, 90), "longitude": _number("longitude", -180, 180),
    "geo_precision": _choice((1, 2, 3)),
    "event_date": _date,
    "fatalities": _count, "injuries": lambda f, v: _count(f, v, optional=True),
    "modality": _choice(MODALITIES),
    "notes": _text,
}


def _event(store: Store, event_id: str) -> Event:
    event = store.event(event_id)
    if event is None:
        raise ReviewError(f"no event {event_id!r} in {store.path}", status=404)
    return event


def _who(who: str) -> str:
    name = _text("who", who)
    if not name:
        raise ReviewError("say who makes the change (who: a name or initials)")
    return name


def _why(why: str | None) -> str:
    return _text("why", why) or ""


def confirm(store: Store, event_id: str, who: str, why: str | None = None) -> None:
    """The analyst checked the event against its sources: it stands as coded (or as edited)."""
    who, why = _who(who), _why(why)
    with store.transaction():
        _event(store, event_id)
        before = store.reviews.verdict(event_id)
        after = "edited" if before == "edited" else "confirmed"
        store.reviews.set_verdict(event_id, after)
        store.reviews.append(who, event_id, "confirm", "review", before, after, why)


def reject(store: Store, event_id: str, who: str, why: str | None = None) -> None:
    """Not an event (a misreading, a duplicate of nothing): it leaves the dataset, kept
    and flagged like a denied event."""
    who, why = _who(who), _why(why)
    with store.transaction():
        _event(store, event_id)
        before = store.reviews.verdict(event_id)
        store.reviews.set_verdict(event_id, "rejected")
        store.reviews.append(who, event_id, "reject", "review", before, "rejected", why)


def edit(store: Store, event_id: str, changes: Mapping[str, Any], who: str, why: str | None = None) -> list[str]:
    """Set fields of an event; returns the fields that changed. A sub-event type brings its
    event and disorder types along. Each changed field is one audit row."""
    who, why = _who(who), _why(why)
    if not changes:
        raise ReviewError("nothing to edit: give at least one field")
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ReviewError(f"cannot edit {', '.join(unknown)}; editable fields: {', '.join(EDITABLE)}")
    values = {field: EDITABLE[field](field, value) for field, value in changes.items()}
    if values.get("sub_event_type"):
        values["event_type"], values["disorder_type"] = acled_types()[values["sub_event_type"]]
    with store.transaction():
        event = _event(store, event_id)
        changed = []
        for field, value in values.items():
            before = getattr(event, field)
            if before == value:
                continue
            store.reviews.set_field(event_id, field, value)
            store.reviews.append(who, event_id, "edit", field, before, value, why)
            changed.append(field)
        if changed:
            store.reviews.set_verdict(event_id, "edited")
            store.write_actors(_event(store, event_id))
    return changed


def merge(store: Store, keep: str, absorb: str, who: str, why: str | None = None) -> None:
    """Two events are one happening: ``absorb``'s reports join ``keep``, which is
    recombined from all of them (its reviewed fields still win); ``absorb`` is gone."""
    who, why = _who(who), _why(why)
    if keep == absorb:
        raise ReviewError(f"cannot merge event {keep!r} with itself")
    with store.transaction():
        _event(store, keep)
        gone = _event(store, absorb)
        kept_reports, moved = store.reviews.report_ids(keep), store.reviews.report_ids(absorb)
        store.reviews.move_reports(moved, keep)
        store.rewrite_events(dedup.recombine([keep, absorb], store))
        store.reviews.set_verdict(keep, "edited")
        store.reviews.append(who, keep, "merge", "reports", kept_reports, sorted(kept_reports + moved), why)
        store.reviews.append(who, absorb, "merge", "merged_into", gone.to_dict(), keep, why)


def split(store: Store, event_id: str, report_ids: Sequence[str], who: str, why: str | None = None) -> str:
    """The reports ``report_ids`` of an event tell of another happening: they become a new
    event (returned), and the rest stays. Both are recombined from their reports."""
    who, why = _who(who), _why(why)
    with store.transaction():
        _event(store, event_id)
        reports = store.reports_of(event_id)
        all_ids = [r.event.id for r in reports]
        chosen = sorted(set(report_ids))
        strangers = [r for r in chosen if r not in all_ids]
        if strangers:
            raise ReviewError(f"event {event_id!r} has no report(s) {', '.join(strangers)}; its reports: "
                              f"{', '.join(all_ids)}")
        if not chosen or len(chosen) == len(all_ids):
            raise ReviewError(f"a split of event {event_id!r} takes some of its {len(all_ids)} report(s), "
                              "not none or all", status=409)
        new_id = next((r for r in chosen if store.event(r) is None), None)
        if new_id is None:
            raise ReviewError(f"no free id for the split of {event_id!r}", status=409)
        store.insert_event(dedup.merged_event([r for r in reports if r.event.id in chosen], new_id))
        store.reviews.move_reports(chosen, new_id)
        store.rewrite_events(dedup.recombine([event_id, new_id], store))
        for verdict_of in (event_id, new_id):
            store.reviews.set_verdict(verdict_of, "edited")
        store.reviews.append(who, event_id, "split", "reports", all_ids, sorted(set(all_ids) - set(chosen)), why)
        store.reviews.append(who, new_id, "split", "split_from", event_id, chosen, why)
    return new_id
