"""Per-row error dump for ``wirecoder eval events``: each CASE snippet and PLOVER sentence
with its gold label, the top event, every event coded, and the mentions' triggers, then
the errors grouped by gold label -> prediction. For studying errors, never for training.

Usage: .venv/bin/python scripts/event_errors.py [--data ../shared/data] [--details] [--only case|plover]

Without ``--details`` only the grouped counts are printed; with it, every wrong row too.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter, defaultdict
from pathlib import Path

from wirecoder.evaluate.events import CASE_FILE, CASE_LABELS, PLOVER_FILE, code_texts, top_event
from wirecoder.settings import load_settings
from wirecoder.stages.code.codebook import load_codebook


def _describe(events) -> str:
    return "; ".join(f"{e.sub_event_type or '-'}|{e.plover_type or '-'}|{e.modality}|{e.confidence:.2f}" for e in events)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--details", action="store_true", help="print every wrong row")
    parser.add_argument("--only", choices=("case", "plover"))
    args = parser.parse_args()
    settings = load_settings()
    events_dir = Path(args.data) / "eval" / "events"
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    if args.only != "plover":
        with (events_dir / CASE_FILE).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
        mapping = json.loads((events_dir / CASE_LABELS).read_text(encoding="utf-8"))
        documents = code_texts([(f"case-{r['id']}", r["EventSnippet"]) for r in rows], settings)
        for row, document in zip(rows, documents):
            target = mapping[row["SubType"]]
            if target[0] is None:
                acled = [e for e in document.events if e.event_type]
                guess = acled[0].sub_event_type if acled else "(none)"
                gold = "OUT:" + row["SubType"]
                ok = not acled
            else:
                top = top_event(document.events)
                gold = target[1]
                guess = (top.sub_event_type or "(no acled)") if top else "(none)"
                ok = guess == gold
            if not ok:
                groups[("case:" + gold, guess)].append(
                    f"  [{row['id']}] {row['EventSnippet'][:400]}\n     => {_describe(document.events)}")
    if args.only != "case":
        records = json.loads((events_dir / PLOVER_FILE).read_text(encoding="utf-8"))
        aliases = load_codebook().plover_aliases
        documents = code_texts([(str(r.get("id", n)), r["text"]) for n, r in enumerate(records)], settings)
        for record, document in zip(records, documents):
            gold = aliases.get(record["event"], record["event"])
            top = top_event([e for e in document.events if e.plover_type], prefer_acled=False)
            guess = top.plover_type if top else "(none)"
            if guess != gold:
                groups[("plover:" + gold, guess)].append(
                    f"  [{record.get('id')}] {record['text'][:400]}\n     => {_describe(document.events)}")
    for (gold, guess), items in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print(f"{len(items):3d}  {gold} -> {guess}")
        if args.details:
            print("\n".join(items))


if __name__ == "__main__":
    main()
