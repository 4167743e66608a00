"""Stage 5, ``resolve``: each event's arguments — who, where, when, how many.

    resolver.py    the stage (ArgumentResolver): runs the steps below per event
    roles.py       agent, patient and their associates from the parse
    actors.py      mentions -> canonical actors, inter codes, interaction
    locate.py      the place(s) of the event's own clause, else the article's focus
    dates.py       the temporal phrase of the sentence against the publication date
    fatalities.py  deaths and injuries by ACLED's rules, split over places
    notes.py       an ACLED-style summary written from the fields

The English these read is in the language pack (``data/lang/en/resolve*.toml``).
"""

from .resolver import ArgumentResolver, counts_deaths, is_past_news, retype_by_target, split_event_id, territory_subtype

__all__ = ["ArgumentResolver", "counts_deaths", "is_past_news", "retype_by_target", "split_event_id",
           "territory_subtype"]
