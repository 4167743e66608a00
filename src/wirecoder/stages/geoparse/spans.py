"""``wirecoder geoparse --spans``: places for given character spans of JSON Lines
texts, each line's errors reported as an :class:`ErrorRecord` naming ``path:line``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Iterator

from ...errors import InputError
from ...records import ErrorRecord
from ...settings import Settings
from .geoparser import Geoparser

__all__ = ["resolve_span_lines"]


def resolve_span_lines(inputs: Iterable[str], settings: Settings) -> Iterator[dict[str, Any] | ErrorRecord]:
    """``wirecoder geoparse --spans``: read JSON Lines ``{"id", "text", "spans": [[s, e], …]}``
    from files (``-`` for stdin) and yield ``{"id", "places": [Place…]}`` for each line,
    resolving only the given spans; a bad line yields an :class:`ErrorRecord` naming
    ``path:line`` and the reason."""
    from ..nlp import load_spacy

    geoparser = Geoparser(settings)
    nlp = load_spacy(settings.nlp.model)
    for path, number, line in _lines(inputs):
        item = f"{path}:{number}"
        try:
            record = _parse_span_line(line, item)
        except InputError as exc:
            yield ErrorRecord(item=exc.item, error=exc.reason)
            continue
        if record is None:
            continue
        doc = nlp(record["text"])
        places = geoparser.resolve_spans(doc, record["spans"])
        yield {"id": record["id"], "places": [p.to_dict() for p in places]}


def _lines(inputs: Iterable[str]) -> Iterator[tuple[str, int, str]]:
    import sys

    for name in inputs:
        if name == "-":
            for number, line in enumerate(sys.stdin, 1):
                yield "<stdin>", number, line
            continue
        try:
            with Path(name).open(encoding="utf-8", errors="replace") as handle:
                for number, line in enumerate(handle, 1):
                    yield name, number, line
        except OSError as exc:
            yield name, 0, "\0" + (exc.strerror or str(exc))


def _parse_span_line(line: str, item: str) -> dict[str, Any] | None:
    if line.startswith("\0"):
        raise InputError(item.rsplit(":", 1)[0], f"cannot read: {line[1:]}")
    if not line.strip():
        return None
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(item, f"not valid JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise InputError(item, 'expected an object with "id", "text" (a string) and "spans"')
    spans = data.get("spans")
    if not isinstance(spans, list):
        raise InputError(item, '"spans" must be a list of [start, end] pairs')
    text = data["text"]
    checked: list[tuple[int, int]] = []
    for span in spans:
        if (not isinstance(span, (list, tuple)) or len(span) != 2 or not all(isinstance(v, int) for v in span)
                or not 0 <= span[0] < span[1] <= len(text)):
            raise InputError(item, f"bad span {span!r}: need [start, end] with 0 <= start < end <= {len(text)}")
        checked.append((span[0], span[1]))
    return {"id": data.get("id"), "text": text, "spans": checked}
