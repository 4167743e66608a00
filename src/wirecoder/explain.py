"""``wirecoder explain EVENT_ID``: a merged event, each report behind it (article,
headline, sentence) and why each report joined (the score parts of the merge).

It reads the store through its methods only (no SQL here) and names the merge's weights
from :mod:`wirecoder.stages.dedup`, which decided them."""

from __future__ import annotations

import textwrap
from typing import Any

from .errors import StoreError
from .stages.dedup import WEIGHTS
from .store import Store


def _line(label: str, value: Any) -> str:
    return f"  {label:<14} {value}"


def explain_event(store: Store, event_id: str) -> str:
    event = store.event(event_id)
    if event is None:  # a report's id (as `wirecoder code` printed it) leads to its event
        joined = store.event_of_report(event_id)
        event = store.event(joined) if joined else None
    if event is None:
        like = store.event_ids_starting(event_id, limit=5)
        if len(like) == 1:
            event = store.event(like[0])
        else:
            hint = f" Ids starting so: {', '.join(like)}." if like else ""
            raise StoreError(f"no event {event_id!r} in {store.path}.{hint} "
                             "List ids with: wirecoder export --format jsonl")
    assert event is not None
    what = " / ".join(x for x in (event.event_type, event.sub_event_type) if x) or event.plover_type or "?"
    where = ", ".join(x for x in (event.location, event.admin1, event.country) if x) or "place unknown"
    out = [
        f"Event {event.id}: {what}",
        _line("date", f"{event.event_date or 'unknown'}" + (f" ({event.date_text})" if event.date_text else "")),
        _line("place", f"{where} (geo_precision {event.geo_precision})"
              + (f" at {event.latitude:.4f}, {event.longitude:.4f}" if event.latitude is not None
                 and event.longitude is not None else "")),
        _line("actors", " vs ".join(x for x in (event.actor1, event.actor2) if x) or "none named"),
        _line("fatalities", f"{event.fatalities} (the lowest toll any report gives)"),
        _line("modality", event.modality + (f", according to {event.attribution}" if event.attribution else "")),
        _line("confidence", f"{event.confidence:.2f}"),
    ]
    rows = store.event_reports(event.id)
    out.append(f"\nReported by {len(rows)} article(s):")
    for n, row in enumerate(rows, 1):
        report = row["report"]
        origin = row["outlet"] or row["url"] or row["path"] or "unknown source"
        out.append(f"\n[{n}] article {row['article_id']} — {origin}, published {row['published_date'] or 'unknown'}")
        out.append(f"    headline: {row['headline'] or '(none)'}")
        out.append(textwrap.fill(f"sentence: “{row['sentence']}”", width=100, initial_indent="    ",
                                 subsequent_indent="      "))
        out.append(f"    coded as: {report.get('sub_event_type') or report.get('event_type') or report.get('plover_type')}"
                   f" at {report.get('location') or '?'} on {report.get('event_date') or '?'}, "
                   f"fatalities {report.get('fatalities', 0)}")
        copies = store.copies(row["article_id"])
        if copies:
            out.append("    near-copies: " + "; ".join(outlet or url or path or "?" for outlet, url, path in copies))
        if row["merge"] is None:
            out.append("    first report: this event was created from it")
            continue
        merge = row["merge"]
        out.append(f"    merged: score {merge['total']:.2f}")
        for part in WEIGHTS:
            if part not in merge["parts"]:
                continue
            value = merge["parts"][part]
            out.append(f"      {part:<7} {value:.2f} × {WEIGHTS[part]:.1f}  {merge['reasons'].get(part, '')}")
    return "\n".join(out)
