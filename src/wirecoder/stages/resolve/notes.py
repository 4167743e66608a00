"""A one-paragraph summary of an event in ACLED's manner, written only from its fields:

    On 2021-07-27, Military Forces of Syria (Fourth Division), with Pro-Iran Militias,
    shelled or fired missiles at Opposition Rebels (Syria) in Daraa. 0 fatalities.
    Source sentence: "…"

ending with the evidence sentence itself (the ACLED CSV has no column for it).

Nothing is added that the fields do not hold: no date becomes the date phrase ("On
Tuesday (date unresolved)") or "On an unknown date"; no second actor leaves the verb
without an object; no place leaves out "in …".
"""

from __future__ import annotations

from ...lang import language_pack
from ...records import Event

# The English of the summary lives in data/lang/en/resolve_notes.toml (what each part is
# for is written there); how the parts are put together stays here.
_EN = language_pack("en")
_TABLE = "resolve_notes"
# What the first actor did, by ACLED sub-event type; "{a2}" is where the second actor goes.
_DID: dict[str, str] = _EN.mapping(_TABLE, "acled")
_PLOVER_DID: dict[str, str] = _EN.mapping(_TABLE, "plover")
_FALLBACK: str = _EN.value(_TABLE, "fallback")
_OBJECT_TAILS: tuple[str, ...] = _EN.sequence(_TABLE, "object_tails")
_ATTRIBUTION_ARTICLES: tuple[str, ...] = _EN.sequence(_TABLE, "attribution_articles")


def _verb_phrase(event: Event) -> str:
    template = _DID.get(event.sub_event_type or "") or _PLOVER_DID.get(event.plover_type or "") or _FALLBACK
    if event.actor2:
        return template.replace("{a2}", event.actor2)
    # Without a second actor, drop the object and the preposition that leads to it, and
    # keep what follows the object ("attacked {a2} as a mob" -> "attacked as a mob").
    for tail in _OBJECT_TAILS:
        if template.endswith(tail):
            return template[: -len(tail)] + tail.split("{a2}", 1)[1]
        if tail in template:
            return template.replace(tail, "")
    return template


def _when(event: Event) -> str:
    if event.event_date:
        if event.time_precision == 2:
            return f"In the week of {event.event_date}"
        if event.time_precision == 3:
            return f"In {event.event_date[:7]}"
        return f"On {event.event_date}"
    if event.date_text:
        phrase = event.date_text.strip()
        return f"{phrase[:1].upper()}{phrase[1:]} (date unresolved)"
    return "On an unknown date"


def _where(event: Event) -> str:
    if event.location and event.admin1 and event.admin1 != event.location:
        place = f"{event.location} ({event.admin1})"
    else:
        place = event.location or event.admin1 or event.country or ""
    if not place:
        return ""
    if event.geo_precision and event.geo_precision > 1 and event.location:
        return f" near {place}" if event.geo_precision == 2 else f" in the region of {place}"
    return f" in {place}"


def write_notes(event: Event, unit: str | None = None) -> str:
    """The summary paragraph for ``event`` (its fields must be filled in already)."""
    actor1 = event.actor1 or "an unidentified actor"  # follows "On <date>,"
    if unit:
        actor1 += f" ({unit})"
    if event.assoc_actor_1:
        actor1 += f", with {event.assoc_actor_1},"
    sentence = f"{_when(event)}, {actor1} {_verb_phrase(event)}{_where(event)}."
    tally = f"{event.fatalities} fatalit{'y' if event.fatalities == 1 else 'ies'}"
    if event.injuries:
        tally += f", {event.injuries} injured"
    notes = f"{sentence} {tally}."
    if event.modality == "claimed" and event.attribution:
        source = event.attribution.strip().rstrip(".")
        if source.startswith(_ATTRIBUTION_ARTICLES):
            source = source[0].lower() + source[1:]
        notes += f" According to {source}."
    if event.evidence and event.evidence.sentence:
        # The ACLED CSV has no evidence column: the notes carry the sentence itself.
        sentence = " ".join(event.evidence.sentence.split())
        notes += f' Source sentence: "{sentence}"'
    return notes
