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

from ...records import Event

# What the first actor did, by ACLED sub-event type; "{a2}" is where the second actor goes.
_DID = {
    "Armed clash": "clashed with {a2}",
    "Government regains territory": "regained territory from {a2}",
    "Non-state actor overtakes territory": "took over territory from {a2}",
    "Chemical weapon": "used chemical weapons against {a2}",
    "Air/drone strike": "carried out an air or drone strike on {a2}",
    "Suicide bomb": "carried out a suicide bombing against {a2}",
    "Shelling/artillery/missile attack": "shelled or fired missiles at {a2}",
    "Remote explosive/landmine/IED": "set off an explosive device against {a2}",
    "Grenade": "threw a grenade at {a2}",
    "Sexual violence": "committed sexual violence against {a2}",
    "Attack": "attacked {a2}",
    "Abduction/forced disappearance": "abducted {a2}",
    "Peaceful protest": "protested peacefully",
    "Protest with intervention": "protested and were met by {a2}",
    "Excessive force against protesters": "were met with excessive force by {a2}",
    "Violent demonstration": "demonstrated violently against {a2}",
    "Mob violence": "attacked {a2} as a mob",
    "Agreement": "reached an agreement with {a2}",
    "Arrests": "arrested {a2}",
    "Change to group/activity": "changed their activity concerning {a2}",
    "Disrupted weapons use": "disrupted weapons use by {a2}",
    "Headquarters or base established": "established a base",
    "Looting/property destruction": "looted or destroyed property of {a2}",
    "Non-violent transfer of territory": "took over territory without fighting from {a2}",
    "Other": "took a strategic step concerning {a2}",
}
_PLOVER_DID = {
    "AGREE": "agreed with {a2}", "CONSULT": "consulted {a2}", "SUPPORT": "supported {a2}",
    "CONCEDE": "made a concession to {a2}", "COOPERATE": "cooperated with {a2}", "AID": "aided {a2}",
    "RETREAT": "retreated from {a2}", "REQUEST": "made a request of {a2}", "ACCUSE": "accused {a2}",
    "REJECT": "rejected {a2}", "THREATEN": "threatened {a2}", "PROTEST": "protested against {a2}",
    "SANCTION": "sanctioned {a2}", "MOBILIZE": "mobilized against {a2}", "COERCE": "coerced {a2}",
    "ASSAULT": "attacked {a2}",
}


def _verb_phrase(event: Event) -> str:
    template = _DID.get(event.sub_event_type or "") or _PLOVER_DID.get(event.plover_type or "") or "acted against {a2}"
    if event.actor2:
        return template.replace("{a2}", event.actor2)
    # Without a second actor, drop the object and the preposition that leads to it.
    for tail in (" with {a2}", " from {a2}", " against {a2}", " at {a2}", " on {a2}", " of {a2}",
                 " by {a2}", " concerning {a2}", " to {a2}", " {a2} as a mob", " {a2}"):
        if template.endswith(tail):
            return template[: -len(tail)] + (" as a mob" if tail == " {a2} as a mob" else "")
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
        if source.startswith(("The ", "A ", "An ")):
            source = source[0].lower() + source[1:]
        notes += f" According to {source}."
    if event.evidence and event.evidence.sentence:
        # The ACLED CSV has no evidence column: the notes carry the sentence itself.
        sentence = " ".join(event.evidence.sentence.split())
        notes += f' Source sentence: "{sentence}"'
    return notes
