"""The codebook as data: ACLED sub-types, PLOVER types and modes, the trigger lexicon and
the modality cues, read from ``wirecoder/data/codebook/`` (files a user can read and
extend). Loaded once per process."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Iterable, Sequence

from ...errors import ResourceError

CODEBOOK_DIR = "data/codebook"


@dataclass(frozen=True, slots=True)
class SubType:
    """One ACLED sub-event type with the PLOVER type and mode it implies."""

    code: str
    event_type: str
    sub_event_type: str
    disorder_type: str
    plover: str | None
    mode: str | None
    definition: str


@dataclass(frozen=True, slots=True)
class TriggerHit:
    """A lexicon phrase found in a sentence: tokens ``[start, end)`` (doc indices)."""

    start: int
    end: int
    label: str
    weight: float
    phrase: str


@dataclass(slots=True)
class TriggerLexicon:
    """Phrases of lemmas or lowercase words, indexed by their first word.

    A phrase word matches a token when it equals the token's lemma or its lowercase
    form, so ``air strike`` finds "air strikes" and ``kill`` finds "killed". A word may
    name a part of speech after a slash: ``aid/NOUN`` finds "aid" but not "aided by".
    """

    by_first: dict[str, list[tuple[tuple[tuple[str, str | None], ...], str, float]]] = field(default_factory=dict)

    def add(self, phrase: str, label: str, weight: float = 1.0) -> None:
        words = []
        for word in phrase.lower().split():
            text, _, pos = word.partition("/")
            words.append((text, pos.upper() or None))
        if words:
            self.by_first.setdefault(words[0][0], []).append((tuple(words), label, weight))

    def labels(self) -> set[str]:
        return {label for entries in self.by_first.values() for _, label, _ in entries}

    def match(self, forms: Sequence[tuple[str, str, str]], offset: int = 0) -> list[TriggerHit]:
        """Hits in a sequence of ``(lemma, lowercase, POS)`` triples; token indices are
        shifted by ``offset`` (the sentence's start in the doc)."""
        hits: list[TriggerHit] = []
        n = len(forms)
        for i, (lemma, lower, _) in enumerate(forms):
            candidates = self.by_first.get(lemma, []) + (self.by_first.get(lower, []) if lower != lemma else [])
            for words, label, weight in candidates:
                end = i + len(words)
                if end > n:
                    continue
                if all((w == forms[i + k][0] or w == forms[i + k][1]) and (pos is None or pos == forms[i + k][2])
                       for k, (w, pos) in enumerate(words)):
                    hits.append(TriggerHit(offset + i, offset + end, label, weight, " ".join(w for w, _ in words)))
        return hits


def token_forms(tokens: Iterable[Any]) -> list[tuple[str, str, str]]:
    """What the lexicon matches against, per token."""
    return [(t.lemma_.lower(), t.lower_, t.pos_) for t in tokens]


@dataclass(frozen=True, slots=True)
class Codebook:
    subtypes: dict[str, SubType]
    non_political: tuple[str, ...]
    plover_types: dict[str, dict[str, Any]]
    plover_aliases: dict[str, str]
    triggers: TriggerLexicon
    modality: dict[str, list[str]]

    def plover_mode(self, plover_type: str | None, lemmas: Iterable[str], text: str) -> str | None:
        """The first mode of ``plover_type`` whose cue is among ``lemmas`` (single words)
        or inside the lowercase ``text`` (phrases)."""
        if not plover_type or plover_type not in self.plover_types:
            return None
        lemma_set = set(lemmas)
        for mode, cues in self.plover_types[plover_type].get("modes", {}).items():
            for cue in cues:
                if (" " in cue and cue in text) or cue in lemma_set:
                    return mode
        return None


def _read(name: str) -> str:
    try:
        return resources.files("wirecoder").joinpath(CODEBOOK_DIR, name).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise ResourceError(f"codebook file {name!r} is missing from the package (wirecoder/{CODEBOOK_DIR})") from exc


def parse_triggers(text: str, origin: str = "triggers.tsv") -> TriggerLexicon:
    """Read ``phrase<TAB>label[<TAB>weight]`` lines; ``#`` starts a comment."""
    lexicon = TriggerLexicon()
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            raise ResourceError(f"{origin}:{number}: expected 'phrase<TAB>label[<TAB>weight]', got {line!r}")
        try:
            weight = float(parts[2]) if len(parts) > 2 else 1.0
        except ValueError as exc:
            raise ResourceError(f"{origin}:{number}: weight {parts[2]!r} is not a number") from exc
        lexicon.add(parts[0], parts[1].strip(), weight)
    return lexicon


@functools.lru_cache(maxsize=1)
def load_codebook() -> Codebook:
    try:
        acled = json.loads(_read("acled.json"))
        plover = json.loads(_read("plover.json"))
        modality = json.loads(_read("modality.json"))
    except json.JSONDecodeError as exc:
        raise ResourceError(f"a codebook JSON file is not valid JSON: {exc}") from exc
    subtypes = {
        s["code"]: SubType(s["code"], s["event_type"], s["sub_event_type"], s["disorder_type"],
                           s.get("plover"), s.get("mode"), s.get("definition", ""))
        for s in acled["subtypes"]
    }
    triggers = parse_triggers(_read("triggers.tsv"))
    known = set(subtypes) | {c["code"] for c in acled["non_political"]} | set(plover["types"])
    unknown = triggers.labels() - known
    if unknown:
        raise ResourceError(f"triggers.tsv uses unknown labels: {', '.join(sorted(unknown))}. Known: {', '.join(sorted(known))}")
    return Codebook(
        subtypes=subtypes,
        non_political=tuple(c["code"] for c in acled["non_political"]),
        plover_types=plover["types"],
        plover_aliases=plover.get("aliases", {}),
        triggers=triggers,
        modality={k: v for k, v in modality.items() if not k.startswith("_")},
    )


@functools.lru_cache(maxsize=1)
def load_refine_lists() -> dict[str, list[str]]:
    """Word lists for ACLED's actor- and conduct-dependent rules (``refine.json``)."""
    try:
        data = json.loads(_read("refine.json"))
    except json.JSONDecodeError as exc:
        raise ResourceError(f"refine.json is not valid JSON: {exc}") from exc
    return {k: [w.lower() for w in v] for k, v in data.items() if not k.startswith("_")}
