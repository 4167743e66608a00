"""``wirecoder eval events``: event typing on CASE 2021 Task 2 (ACLED sub-types) and on
the PLOVER gold-standard sentences, through the same library path as ``wirecoder code``
(the stages ``nlp`` and ``code`` built through the registry, on hand-built Documents), so
that ``--set code.classifier=NAME`` measures another event classifier.

- CASE: the TOP event of each snippet (highest confidence, any modality) is compared with
  the label mapped to ACLED; a snippet with no ACLED event counts as wrong. Weighted and
  macro F1 over the rows whose label is one of the 25 sub-types; for the 5 labels outside
  ACLED, the share of snippets given no ACLED event at all.
- PLOVER: accuracy of the top event's PLOVER type (0.5b1 names mapped: FIGHT = ASSAULT,
  DEMAND = REQUEST, DISAPPROVE and INVESTIGATE = ACCUSE); a sentence with no PLOVER event
  is wrong. ``plover["actor_match"]``: the share of sentences naming a source actor whose
  actor our resolver extracts (see :mod:`wirecoder.evaluate.plover_actors`).
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from ..errors import EvalDataError
from ..records import Article, Document, Event
from ..settings import Settings
from .plover_actors import score_documents as score_plover_actors

CASE_FILE = "case2021_task2_dev.tsv"
CASE_LABELS = "case2021_labels.json"
PLOVER_FILE = "plover_gsr_dev.json"

CURRENT = frozenset({"asserted", "claimed"})


def top_event(events: Iterable[Event], prefer_acled: bool = True, prefer_main: bool = True) -> Event | None:
    """The event a snippet is scored by: an event with an ACLED type before one without,
    then a current one (asserted or claimed) before a historical, future, denied or
    hypothetical one, then (``prefer_main``) the event of a sentence's main predicate
    (the code stage lists it first among its sentence's events), then the most
    confident (first on ties). An ACLED-typed event is what a snippet is about; a
    statement around it ("police said", "urged calm") is context, and so is the
    background ("since the 2018 offensive")."""
    best: Event | None = None
    best_key: tuple[bool, bool, bool, float] | None = None
    spans: set[tuple[int, int]] = set()
    for event in events:
        span = (event.evidence.start, event.evidence.end)
        main = span not in spans
        spans.add(span)
        key = (prefer_acled and event.event_type is not None, event.modality in CURRENT,
               prefer_main and main, event.confidence)
        if best_key is None or key > best_key:
            best, best_key = event, key
    return best


def code_texts(items: list[tuple[str, str]], settings: Settings) -> list[Document]:
    """Run nlp + code over ``(id, text)`` pairs, as ``wirecoder code`` does for snippets."""
    from ..pipeline import build_named

    parser, coder = build_named(settings, ["nlp", "code"])
    documents = [Document(article=Article(id=i, paragraphs=[t])) for i, t in items]
    # the parser's batches, as before: a failure here is the evaluation's, not one snippet's
    pipe = getattr(parser, "pipe", None)
    parsed = pipe(documents) if pipe is not None else map(parser, documents)
    return [coder(d) for d in parsed]


def f1_scores(gold: list[str], predicted: list[str | None]) -> dict[str, Any]:
    """Weighted and macro F1 over the gold labels (a None prediction is a miss)."""
    labels = sorted(set(gold))
    support = Counter(gold)
    per_label: dict[str, float] = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, predicted) if g != label and p == label)
        fn = support[label] - tp
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        per_label[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    total = sum(support.values())
    return {
        "weighted_f1": round(sum(per_label[l] * support[l] for l in labels) / total, 4) if total else 0.0,
        "macro_f1": round(sum(per_label.values()) / len(labels), 4) if labels else 0.0,
        "per_label_f1": {l: round(v, 3) for l, v in per_label.items()},
    }


def _read_case(events_dir: Path) -> tuple[list[dict[str, str]], dict[str, Any]]:
    try:
        with (events_dir / CASE_FILE).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
        mapping = json.loads((events_dir / CASE_LABELS).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise EvalDataError(f"cannot read the CASE set in {events_dir}: {exc}") from exc
    if not rows or not {"id", "EventSnippet", "SubType"} <= set(rows[0]):
        raise EvalDataError(f"{events_dir / CASE_FILE}: expected columns id, EventSnippet, SubType")
    return rows, mapping


def evaluate_case(events_dir: Path, settings: Settings) -> dict[str, Any]:
    rows, mapping = _read_case(events_dir)
    documents = code_texts([(f"case-{r['id']}", r["EventSnippet"]) for r in rows], settings)
    gold: list[str] = []
    predicted: list[str | None] = []
    outside, outside_clean = 0, 0
    confusions: Counter[tuple[str, str]] = Counter()
    for row, document in zip(rows, documents):
        target = mapping.get(row["SubType"])
        if not isinstance(target, list):
            raise EvalDataError(f"{CASE_LABELS}: no mapping for label {row['SubType']!r}")
        if target[0] is None:  # outside ACLED's taxonomy
            outside += 1
            outside_clean += not any(e.event_type for e in document.events)
            continue
        top = top_event(document.events)
        guess = top.sub_event_type if top else None
        gold.append(target[1])
        predicted.append(guess)
        if guess != target[1]:
            confusions[(target[1], guess or "(none)")] += 1
    scores = f1_scores(gold, predicted)
    return {
        "rows_in_taxonomy": len(gold),
        "weighted_f1": scores["weighted_f1"],
        "macro_f1": scores["macro_f1"],
        "rows_outside_taxonomy": outside,
        "outside_without_acled_event": round(outside_clean / outside, 4) if outside else None,
        "per_label_f1": scores["per_label_f1"],
        "top_confusions": [f"{g} -> {p}: {n}" for (g, p), n in confusions.most_common(10)],
    }


def evaluate_plover(events_dir: Path, settings: Settings) -> dict[str, Any]:
    from ..stages.code.codebook import load_codebook

    try:
        records = json.loads((events_dir / PLOVER_FILE).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise EvalDataError(f"cannot read {events_dir / PLOVER_FILE}: {exc}") from exc
    aliases = load_codebook().plover_aliases
    documents = code_texts([(str(r.get("id", n)), r["text"]) for n, r in enumerate(records)], settings)
    correct = 0
    confusions: Counter[tuple[str, str]] = Counter()
    for record, document in zip(records, documents):
        gold = aliases.get(record["event"], record["event"])
        candidates = [e for e in document.events if e.plover_type]
        top = top_event(candidates, prefer_acled=False)
        guess = top.plover_type if top else None
        correct += guess == gold
        if guess != gold:
            confusions[(gold, guess or "(none)")] += 1
    result: dict[str, Any] = {
        "records": len(records),
        "type_accuracy": round(correct / len(records), 4) if records else 0.0,
        "top_confusions": [f"{g} -> {p}: {n}" for (g, p), n in confusions.most_common(10)],
    }
    result["actor_match"] = score_plover_actors(records, documents, settings)
    return result


def evaluate(data_dir: Path, settings: Settings) -> dict[str, Any]:
    events_dir = Path(data_dir) / "eval" / "events"
    if not events_dir.is_dir():
        raise EvalDataError(f"event evaluation sets not found in {events_dir}")
    return {"case2021": evaluate_case(events_dir, settings), "plover": evaluate_plover(events_dir, settings)}
