"""The typed records that flow through the pipeline. Their JSON field names are the
contract of ``../shared/SPEC.md`` (*Records*): change them only with the SPEC.

An :class:`Article` comes out of ``extract``; a :class:`Document` wraps it on its way
through ``nlp -> geoparse -> code -> resolve`` and collects the spaCy parse, the
:class:`Place` mentions and the :class:`Event` records.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any, Literal

Modality = Literal["asserted", "claimed", "denied", "historical", "future", "hypothetical"]
CURRENT_MODALITIES: frozenset[str] = frozenset({"asserted", "claimed"})
PlaceKind = Literal["country", "admin1", "admin2", "city", "quarter", "region"]

# Paragraphs of an article's text are joined with this; offsets of places and event
# evidence are into ``Article.text``.
PARAGRAPH_SEPARATOR = "\n\n"


@dataclass(slots=True)
class Source:
    path: str | None = None
    url: str | None = None
    outlet: str | None = None


@dataclass(slots=True)
class Published:
    date: str | None = None  # YYYY-MM-DD
    how: Literal["metadata", "dateline", "cli"] | None = None


@dataclass(slots=True)
class Caption:
    text: str
    credit: str | None = None


@dataclass(slots=True)
class Article:
    id: str
    source: Source = field(default_factory=Source)
    headline: str | None = None
    published: Published = field(default_factory=Published)
    captions: list[Caption] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    duplicate_of: str | None = None
    language: str | None = None  # ISO 639-1, given by the input or detected by extract

    @property
    def body(self) -> str:
        return PARAGRAPH_SEPARATOR.join(self.paragraphs)

    @property
    def text(self) -> str:
        """Headline and body, the text every offset refers to. Captions are left out:
        they describe a photo, not the story, and are never coded."""
        if self.headline:
            return self.headline + PARAGRAPH_SEPARATOR + self.body
        return self.body

    @property
    def text_chars(self) -> int:
        """``len(self.text)``, without building the text."""
        sep = len(PARAGRAPH_SEPARATOR)
        body = sum(len(p) for p in self.paragraphs) + sep * max(len(self.paragraphs) - 1, 0)
        return body + (len(self.headline) + sep if self.headline else 0)

    @property
    def body_start(self) -> int:
        """Offset in :attr:`text` where the body begins (after the headline)."""
        return len(self.headline) + len(PARAGRAPH_SEPARATOR) if self.headline else 0

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        return cls(
            id=data["id"],
            source=Source(**(data.get("source") or {})),
            headline=data.get("headline"),
            published=Published(**(data.get("published") or {})),
            captions=[Caption(**c) for c in data.get("captions") or []],
            paragraphs=list(data.get("paragraphs") or []),
            duplicate_of=data.get("duplicate_of"),
            language=data.get("language"),
        )


@dataclass(slots=True)
class Place:
    text: str
    start: int
    end: int
    geonameid: int | None = None
    name: str | None = None
    kind: PlaceKind | None = None
    country_code: str | None = None
    admin1: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    confidence: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Place:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(slots=True)
class Evidence:
    sentence: str
    start: int
    end: int


@dataclass(slots=True)
class Event:
    id: str
    article_id: str
    evidence: Evidence
    event_date: str | None = None
    date_text: str | None = None
    time_precision: int | None = None  # 1 day, 2 week, 3 month
    disorder_type: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    plover_type: str | None = None
    plover_mode: str | None = None
    actor1: str | None = None
    assoc_actor_1: str | None = None
    inter1: int | None = None
    actor2: str | None = None
    assoc_actor_2: str | None = None
    inter2: int | None = None
    interaction: int | None = None
    civilian_targeting: str | None = None
    country: str | None = None
    iso: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    location: str | None = None
    geonameid: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    fatalities: int = 0
    injuries: int | None = None
    modality: Modality = "asserted"
    attribution: str | None = None
    confidence: float = 0.0
    notes: str | None = None
    sources: list[str] = field(default_factory=list)
    # every sentence of the article that reports this happening (consolidate stage)
    mentions: list[Evidence] = field(default_factory=list)
    trigger: str | None = None  # the text of the trigger the event was found by (code stage)

    @property
    def is_current(self) -> bool:
        return self.modality in CURRENT_MODALITIES

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        names = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        values["evidence"] = Evidence(**data["evidence"])
        values["mentions"] = [m if isinstance(m, Evidence) else Evidence(**m) for m in data.get("mentions") or []]
        return cls(**values)


@dataclass(slots=True)
class Document:
    """An article on its way through the analysis stages.

    ``doc`` is the spaCy parse of ``article.text`` (set by the ``nlp`` stage);
    ``places`` are set by ``geoparse``; ``events`` by ``code`` and filled in by
    ``resolve``.
    """

    article: Article
    doc: Any = None  # spacy.tokens.Doc; typed loosely so records import without spaCy
    places: list[Place] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.article.text


@dataclass(slots=True)
class ErrorRecord:
    """One failed input item, as printed on stderr: ``{"error", "item", "kind"}``."""

    item: str
    error: str
    kind: str = "InputError"

    def to_dict(self) -> dict[str, Any]:
        return {"error": self.error, "item": self.item, "kind": self.kind}


# Characters JSON leaves raw that line-based readers (Python's ``str.splitlines``, many
# log tools) take for line ends; escaped, a JSON Lines record stays one line everywhere.
_LINE_BREAKERS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def json_line(record: Any) -> str:
    """``record`` as one JSON Lines line (with its newline): UTF-8 text as is, but line
    separators escaped, and a lone surrogate (an undecodable file name's byte) escaped
    rather than failing the write."""
    line = json.dumps(record, ensure_ascii=False).translate(_LINE_BREAKERS)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(record)
    return line + "\n"
