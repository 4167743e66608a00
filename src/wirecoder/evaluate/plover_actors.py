"""Source actors on the PLOVER gold-standard sentences: does the actor our resolver reads
from a sentence match the gold ``source`` actor text?

Over the records that name at least one source actor, the share for which one of the
agents we extract matches one of the gold source actors. The agents are read by the
resolve stage's role extraction (``stages/resolve/roles.py``) at the sentence's main
event: the trigger of the top event found by the event coder when it finds one with an
ACLED type, else the sentence's main predicate (reporting verbs hand over to the clause
they report).

Two actor texts *match* when, after normalising both (lower case, curly quotes
straightened, punctuation and a leading "the" dropped, "U.S." read as "us"):

1. one contains the other as whole words ("Israeli Prime Minister Ehud Barak" contains
   "Ehud Barak"; "European Community" is in "European Community foreign ministers"), or
2. their content words (stop words removed) overlap by a Jaccard index of at least 0.5.

We compare the mention as written, not the canonical name: the gold set marks spans of
text, and the canonical name ("Government of Israel") would be a paraphrase of them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..errors import EvalDataError
from ..records import Article, Document
from ..settings import Settings

PLOVER_FILE = Path("eval") / "events" / "plover_gsr_dev.json"
_STOP = {"the", "a", "an", "of", "and", "in", "on", "for", "to", "its", "his", "her", "their", "s"}


def normalize(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("...", " ").replace("…", " ")
    text = re.sub(r"(?<=\b[A-Za-z])\.", "", text)  # U.S. -> US
    words = re.findall(r"[^\W_]+", text.lower())
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def actors_match(predicted: str, gold: str) -> bool:
    """See the module's docstring for the rule."""
    p, g = normalize(predicted), normalize(gold)
    if not p or not g:
        return False
    if f" {p} " in f" {g} " or f" {g} " in f" {p} ":
        return True
    pw, gw = set(p.split()) - _STOP, set(g.split()) - _STOP
    if not pw or not gw:
        return False
    return len(pw & gw) / len(pw | gw) >= 0.5


def source_mentions(document: Document) -> list[str]:
    """The agents of the sentence's main event, as written."""
    from ..stages.resolve.roles import extract_roles, find_trigger, main_predicate

    doc = document.doc
    if doc is None or not len(doc):
        return []
    acled = [e for e in document.events if e.event_type is not None]
    if acled:
        top = max(acled, key=lambda e: e.confidence)
        sent = doc.char_span(top.evidence.start, top.evidence.end, alignment_mode="expand")
        if sent is not None and len(sent):
            roles = extract_roles(sent, find_trigger(sent, top.event_type))
            if roles.agents:
                return [m.text for m in roles.agents]
    sent = next(iter(doc.sents))
    roles = extract_roles(sent, main_predicate(sent))
    return [m.text for m in roles.agents]


def score_documents(records: list[dict[str, Any]], documents: list[Document], settings: Settings) -> dict[str, Any]:
    """Score already parsed (and, optionally, coded) documents, one per record; the
    scorer `wirecoder eval events` runs on the documents it has coded."""
    named = matched = 0
    misses: list[dict[str, Any]] = []
    for record, document in zip(records, documents):
        gold = [s.get("actorText", "") for s in (record.get("source") or []) if isinstance(s, dict)]
        gold = [g for g in gold if g and g.strip()]
        if not gold:
            continue
        named += 1
        predicted = source_mentions(document)
        if any(actors_match(p, g) for p in predicted for g in gold):
            matched += 1
        elif len(misses) < 15:
            misses.append({"id": record.get("id"), "gold": gold, "predicted": predicted})
    return {
        "records_with_source": named,
        "source_match": round(matched / named, 4) if named else 0.0,
        "misses": misses,
    }


def _read(data_dir: Path) -> list[dict[str, Any]]:
    path = Path(data_dir) / PLOVER_FILE
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise EvalDataError(f"cannot read the PLOVER set {path}: {exc}") from exc
    if not isinstance(records, list) or not all(isinstance(r, dict) and "text" in r for r in records):
        raise EvalDataError(f"{path}: expected a JSON list of records with \"text\"")
    return records


def score(data_dir: Path, settings: Settings) -> dict[str, Any]:
    """Parse (and code, when the event coder is installed) each PLOVER sentence and score
    the source actor. ``data_dir`` holds ``eval/events/plover_gsr_dev.json``."""
    from ..stages.nlp import Parser

    records = _read(data_dir)
    parser = Parser(settings)
    documents = [Document(article=Article(id=str(r.get("id", n)), paragraphs=[r["text"]])) for n, r in enumerate(records)]
    parsed = list(parser.pipe(documents))
    try:
        from ..stages.code.coder import EventCoder

        coder = EventCoder(settings)
        parsed = [coder(d) for d in parsed]
    except ImportError:
        pass  # without the event coder, the main predicate stands in for the event
    return score_documents(records, parsed, settings)
