"""Export filters checked against what exists, before any row is read.

A filter that names nothing (``--country Sirya``, ``--type Batles``) used to give an
empty file and exit 0, which reads as "no such events" when it means "no such thing".
Each value is checked here and a :class:`~wirecoder.errors.FilterError` names it with
the close matches ("did you mean Syria?"); the CLI turns it into exit status 2.

- countries: an English name (GeoNames', any case or accents) or an ISO 3166 alpha-2,
  alpha-3 or numeric code, normalised to the alpha-2 code (:func:`country_codes`);
- types: an ACLED event type or sub-event type, or a PLOVER type, of the codebook or of
  an event in the store (a plug-in classifier may use others);
- actors: a part of the name of an actor in the store or in the actor dictionary
  (packaged, plus ``resolve.actors_file``); matched literally, ``%`` and ``_`` included.
"""

from __future__ import annotations

from typing import Iterable

from .errors import FilterError
from .geo import close_matches, country_code, similar_countries
from .settings import Settings


def country_codes(values: Iterable[str]) -> tuple[str, ...]:
    """Each ``--country`` value as its ISO alpha-2 code; :class:`FilterError` for one that
    names no country."""
    codes: list[str] = []
    for value in values:
        code = country_code(value)
        if code is None:
            raise FilterError(f"--country {value!r} is not a country name or ISO code"
                              + _did_you_mean(similar_countries(value))
                              + "; give an English name (Syria) or an ISO 3166 code (SY, SYR, 760)")
        codes.append(code)
    return tuple(dict.fromkeys(codes))


def codebook_types() -> set[str]:
    """The ACLED event and sub-event types and the PLOVER types of the codebook."""
    from .stages.code.codebook import load_codebook

    codebook = load_codebook()
    names = {s.event_type for s in codebook.subtypes.values()} | {s.sub_event_type for s in codebook.subtypes.values()}
    return names | set(codebook.plover_types)


def check_types(values: Iterable[str], stored: Iterable[str] = ()) -> None:
    """:class:`FilterError` for a ``--type`` that is no type of the codebook or the store."""
    known = codebook_types() | set(stored)
    lowered = {k.lower() for k in known}
    for value in values:
        if value.lower() not in lowered:
            raise FilterError(f"--type {value!r} is not an event type, sub-event type or PLOVER type"
                              + _did_you_mean(close_matches(value, sorted(known)))
                              + "; e.g. Battles, Armed clash, Peaceful protest, ASSAULT")


def dictionary_actors(settings: Settings) -> set[str]:
    """The canonical names of the actor dictionary (packaged plus ``resolve.actors_file``)."""
    from .stages.resolve.actors import load_actor_dictionary

    return load_actor_dictionary(settings).names()


def check_actors(values: Iterable[str], stored: Iterable[str], settings: Settings) -> None:
    """:class:`FilterError` for an ``--actor`` that is part of no actor name in the store
    or the actor dictionary."""
    values = list(values)
    if not values:
        return
    stored = set(stored)
    known = stored | dictionary_actors(settings)
    lowered = [name.lower() for name in known]
    for value in values:
        part = value.lower()
        if not any(part in name for name in lowered):
            raise FilterError(f"--actor {value!r} is part of no actor's name in the store or the actor dictionary"
                              + _did_you_mean(_near_parts(value, sorted(stored)) or _near_parts(value, sorted(known))))


def _near_parts(value: str, names: list[str], limit: int = 3) -> list[str]:
    """Names with a run of as many words as ``value`` close to it ("Rapid Suport" ->
    "Rapid Support Forces (RSF)"): an actor filter is a part of a name, so a misspelt
    part is compared with the parts of names, not with whole names."""
    size = max(1, len(value.split()))
    windows: dict[str, str] = {}
    for name in names:
        words = name.split()
        for start in range(max(1, len(words) - size + 1)):
            windows.setdefault(" ".join(words[start:start + size]), name)
    return list(dict.fromkeys(windows[w] for w in close_matches(value, list(windows), limit=limit * 3)))[:limit]


def _did_you_mean(choices: list[str]) -> str:
    if not choices:
        return ""
    listed = choices[0] if len(choices) == 1 else ", ".join(choices[:-1]) + " or " + choices[-1]
    return f" (did you mean {listed}?)"
