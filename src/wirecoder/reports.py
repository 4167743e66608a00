"""The records that pass between the dedup step and the store.

Dedup (:mod:`wirecoder.stages.dedup`) asks a *candidate source* — the store — for the
stored events near a report (:class:`CandidateQuery` in, :class:`Candidate` out), decides
which reports join which events, and hands the store one :class:`Outcome` per report:
the event to write, new or merged. Neither imports the other; both import this.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from .records import Event


@dataclass(frozen=True, slots=True)
class Report:
    """One event as coded from one article, with that article's publication date."""

    event: Event
    published: str | None = None


@dataclass(slots=True)
class Candidate:
    """A merged event already in the store, as dedup needs it."""

    event: Event
    article_ids: frozenset[str]
    first_published: str | None = None
    last_published: str | None = None


@dataclass(frozen=True, slots=True)
class CandidateQuery:
    """"Stored current events that could report the same happening as this report":
    of one of ``event_types`` (or, when that is empty, without an ACLED type and of
    ``plover_type``), dated within ``window_days`` of ``event_date`` or reported in
    articles published within ``window_days`` of ``published``. A coarse filter;
    dedup's score decides."""

    event_types: tuple[str, ...]
    plover_type: str | None
    event_date: str | None
    published: str | None
    window_days: int


@dataclass(frozen=True, slots=True)
class MergedEvent:
    """An event as it is to be stored: its fields, and what its reports say beside them."""

    event: Event
    n_reports: int
    first_published: str | None  # YYYY-MM-DD, earliest article behind it
    last_published: str | None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What dedup decided for one report: it creates ``event`` (``merged_into`` None), or
    joins the stored event ``merged_into``, which becomes ``event``, with ``score`` (the
    merge score as a dict: ``total``, ``parts``, ``reasons``, ``veto``)."""

    report: Report
    event: MergedEvent
    merged_into: str | None = None
    score: Mapping[str, Any] | None = None
