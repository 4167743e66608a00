"""``wirecoder eval geo``: toponym recognition and resolution on GeoWebNews
(``eval/geo/GWN.xml``, 200 articles), from raw text and given the gold spans.

Over the gold toponyms that carry a GeoNames id:

- ``exact``: share found (a predicted place overlaps the gold span) *and* resolved to
  that id;
- ``within_161km``: share found with a predicted position within 161 km (100 miles) of
  the gold one (a prediction with the gold id counts as 0 km: a country's or
  division's "position" is a convention, the place is the same);
- ``mean_error_km`` / ``median_error_km``: over the gold toponyms found with a position;
- ``precision``: predicted places overlapping any gold toponym (an annotation with a
  GeoNames id or coordinates) / all predicted places.

The ``given_spans`` block resolves exactly the gold spans (``--spans`` path) and reports
the same resolution figures. Every share is printed with its ``n``.
"""

from __future__ import annotations

import statistics
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import EvalDataError
from ..geo import haversine_km
from ..records import Article, Document, Place
from ..settings import Settings

MILES_100_KM = 161.0


@dataclass(slots=True)
class GoldToponym:
    start: int
    end: int
    name: str
    geonameid: int | None
    latitude: float | None
    longitude: float | None


def read_gwn(path: Path) -> list[tuple[str, list[GoldToponym]]]:
    """(text, toponyms) for each article of GWN.xml."""
    if not path.exists():
        raise EvalDataError(f"GeoWebNews not found at {path}")
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise EvalDataError(f"{path} is not valid XML: {exc}") from exc
    articles = []
    for article in root.iter("article"):
        text = article.findtext("text") or ""
        toponyms = []
        for node in article.iter("toponym"):
            gid = (node.findtext("geonamesID") or "").strip()
            lat = (node.findtext("latitude") or "").strip()
            lon = (node.findtext("longitude") or "").strip()
            toponyms.append(GoldToponym(
                start=int(node.findtext("start") or 0), end=int(node.findtext("end") or 0),
                name=node.findtext("extractedName") or "",
                geonameid=int(gid) if gid.isdigit() else None,
                latitude=float(lat) if lat else None, longitude=float(lon) if lon else None,
            ))
        articles.append((text, toponyms))
    if not articles:
        raise EvalDataError(f"{path} holds no <article>")
    return articles


def _error_km(place: Place, gold: GoldToponym) -> float | None:
    if place.geonameid is not None and place.geonameid == gold.geonameid:
        return 0.0
    if place.latitude is None or place.longitude is None or gold.latitude is None or gold.longitude is None:
        return None
    return haversine_km(place.latitude, place.longitude, gold.latitude, gold.longitude)


def _overlaps(place: Place, gold: GoldToponym) -> bool:
    return place.start < gold.end and gold.start < place.end


class _Tally:
    def __init__(self) -> None:
        self.n = 0
        self.exact = 0
        self.near = 0
        self.errors: list[float] = []

    def add(self, gold: GoldToponym, places: list[Place]) -> bool:
        self.n += 1
        hits = [p for p in places if _overlaps(p, gold) and p.geonameid is not None]
        if not hits:
            return False
        # The overlapping prediction with the right id if there is one, else the nearest.
        scored = [(0 if p.geonameid == gold.geonameid else 1, _error_km(p, gold) or 0.0, p) for p in hits]
        exact, error, place = min(scored, key=lambda t: (t[0], t[1]))
        err = _error_km(place, gold)
        self.exact += exact == 0
        if err is not None:
            self.errors.append(err)
            self.near += err <= MILES_100_KM
        return exact == 0

    def report(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "exact": round(self.exact / self.n, 4) if self.n else 0.0,
            "within_161km": round(self.near / self.n, 4) if self.n else 0.0,
            "mean_error_km": round(statistics.fmean(self.errors), 1) if self.errors else None,
            "median_error_km": round(statistics.median(self.errors), 1) if self.errors else None,
            "n_with_error": len(self.errors),
        }


def evaluate(data_dir: Path, settings: Settings, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Scores on GWN; ``details`` (if given) collects every miss for error study."""
    from ..stages.geoparse.geoparser import Geoparser
    from ..stages.nlp import Parser

    articles = read_gwn(Path(data_dir) / "eval" / "geo" / "GWN.xml")
    parser = Parser(settings)
    geoparser = Geoparser(settings)
    raw, given = _Tally(), _Tally()
    predicted = predicted_hits = 0
    started = time.perf_counter()
    documents = parser.pipe(Document(article=Article(id=str(i), paragraphs=[text])) for i, (text, _) in enumerate(articles))
    for (text, toponyms), document in zip(articles, documents):
        assert document.text == text
        geoparser(document)
        real = [t for t in toponyms if t.geonameid is not None or t.latitude is not None]
        for place in document.places:
            predicted += 1
            predicted_hits += any(_overlaps(place, t) for t in real)
        gold = [t for t in toponyms if t.geonameid is not None]
        given_places = geoparser.resolve_spans(document.doc, [(t.start, t.end) for t in gold])
        for toponym, given_place in zip(gold, given_places):
            ok_raw = raw.add(toponym, document.places)
            ok_given = given.add(toponym, [given_place])
            if details is not None and not (ok_raw and ok_given):
                found = [p for p in document.places if _overlaps(p, toponym)]
                details.append({
                    "gold": toponym.name, "id": toponym.geonameid, "raw_ok": ok_raw, "given_ok": ok_given,
                    "raw": [(p.text, p.geonameid, p.name, p.country_code) for p in found],
                    "given": (given_place.geonameid, given_place.name, given_place.country_code),
                    "context": text[max(0, toponym.start - 60):toponym.end + 40].replace("\n", " "),
                })
    return {
        "dataset": "GeoWebNews (GWN.xml)",
        "articles": len(articles),
        "raw_text": {**raw.report(), "precision": round(predicted_hits / predicted, 4) if predicted else 0.0,
                     "n_predicted": predicted},
        "given_spans": given.report(),
        "seconds": round(time.perf_counter() - started, 1),
    }
