"""Error analysis of the geoparser on GeoWebNews (given gold spans, and raw text).

For every gold toponym resolved to the wrong id, prints the mention, what OUR gazetteer
knows of the gold id (name, kind, country, population, or "absent"), our choice, and
the candidates with their scores; then counts the errors by group:

- ``absent``: the gold id is not in the gazetteer at all;
- ``not-candidate``: in the gazetteer, but the mention's name does not reach it
  (normalization or alternate-name gap);
- ``ranked-lower``: a candidate, but another scored higher (sub-grouped by the kinds of
  the gold and the chosen record, e.g. ``country<-city``).

For study only: nothing it prints goes into the project.

    .venv/bin/python scripts/geo_errors.py [--raw] [--group ranked-lower] [--limit 400]

The spaCy parses are cached in /tmp (DocBin) so that reruns take seconds.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GWN = REPO.parent / "shared" / "data" / "eval" / "geo" / "GWN.xml"
CACHE = Path("/tmp/wirecoder_gwn_docs.spacy")


def _docs(texts: list[str]) -> list[Any]:
    from spacy.tokens import DocBin

    from wirecoder.settings import load_settings
    from wirecoder.stages.nlp import load_spacy

    nlp = load_spacy(load_settings().nlp.model)
    if CACHE.exists():
        docs = list(DocBin().from_disk(CACHE).get_docs(nlp.vocab))
        if [d.text for d in docs] == texts:
            return docs
    docs = list(nlp.pipe(texts))
    DocBin(store_user_data=False, docs=docs).to_disk(CACHE)
    return docs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", action="store_true", help="study raw-text misses and false positives instead")
    ap.add_argument("--group", default="", help="print only this group (prefix)")
    ap.add_argument("--limit", type=int, default=10_000)
    args = ap.parse_args()

    from wirecoder.evaluate.geo import read_gwn
    from wirecoder.settings import load_settings
    from wirecoder.stages.geoparse import Geoparser
    from wirecoder.stages.geoparse.ranking import CandidateRanker

    settings = load_settings()
    articles = read_gwn(GWN)
    docs = _docs([t for t, _ in articles])
    geoparser = Geoparser(settings)
    gaz = geoparser.gazetteer
    by_id: dict[int, list[int]] = collections.defaultdict(list)
    for r, gid in enumerate(gaz.ids):
        if gid:
            by_id[gid].append(r)

    trace: dict[int, list[tuple[int, float]]] = {}
    original = CandidateRanker._choose

    def traced(self: CandidateRanker, mention: Any, countries: Any, top: Any, anchors: Any) -> Any:
        trace[id(mention)] = [(c, self._score(c, mention, countries, top, anchors)) for c in mention.candidates]
        return original(self, mention, countries, top, anchors)

    CandidateRanker._choose = traced  # type: ignore[method-assign]

    def describe(r: int) -> str:
        return f"{gaz.names[r]}|{gaz.kind(r)}|{gaz.countries[r]}|{gaz.population[r]}"

    groups: collections.Counter[str] = collections.Counter()
    printed = 0
    total = 0
    for (text, toponyms), doc in zip(articles, docs):
        gold = [t for t in toponyms if t.geonameid is not None]
        if args.raw:
            from wirecoder.records import Article, Document

            document = Document(article=Article(id="x", paragraphs=[text]))
            document.doc = doc
            geoparser(document)
            real = [t for t in toponyms if t.geonameid is not None or t.latitude is not None]
            for p in document.places:
                if not any(p.start < t.end and t.start < p.end for t in toponyms):
                    groups["fp:" + (p.kind or "unresolved")] += 1
                    if printed < args.limit and (not args.group or "fp".startswith(args.group[:2])):
                        print(f"FP  {p.text!r} -> {p.name}|{p.kind}|{p.country_code}  ..{text[max(0, p.start - 40):p.end + 30]!r}")
                        printed += 1
                elif not any(p.start < t.end and t.start < p.end for t in real):
                    groups["fp-nonlocational"] += 1
            for t in gold:
                total += 1
                if not any(p.start < t.end and t.start < p.end for p in document.places):
                    groups["miss"] += 1
                    if printed < args.limit and (not args.group or args.group == "miss"):
                        print(f"MISS {t.name!r} ..{text[max(0, t.start - 40):t.end + 30]!r}")
                        printed += 1
            continue
        trace.clear()
        places = geoparser.resolve_spans(doc, [(t.start, t.end) for t in gold])
        given = {}
        for m_id in trace:
            pass
        # Map each given span back to its traced mention via a fresh mention build.
        for t, p in zip(gold, places):
            total += 1
            if p.geonameid == t.geonameid:
                continue
            records = by_id.get(t.geonameid or 0, [])
            mention = geoparser._span_mention(text, t.start, t.end)
            if not records:
                group = "absent"
            elif not set(records) & set(mention.candidates):
                group = "not-candidate"
            else:
                chosen = next((r for r in mention.candidates if gaz.ids[r] == p.geonameid), None)
                ck = gaz.kind(chosen) if chosen is not None else "none"
                gk = gaz.kind(next(r for r in records if r in mention.candidates))
                group = f"ranked-lower:{gk}<-{ck}"
            groups[group] += 1
            if printed >= args.limit or (args.group and not group.startswith(args.group)):
                continue
            printed += 1
            gold_desc = "; ".join(describe(r) for r in records) or "absent"
            print(f"[{group}] {t.name!r} gold={t.geonameid} ({gold_desc}) -> {p.geonameid} {p.name}|{p.kind}|{p.country_code} conf={p.confidence}")
            # Scores from the traced ranking run, for the mention at this span.
            scored = next((v for k, v in trace.items() if v and set(c for c, _ in v) == set(mention.candidates)), [])
            for c, s in sorted(scored, key=lambda x: -x[1])[:6]:
                mark = "*" if gaz.ids[c] == t.geonameid else " "
                print(f"     {mark} {s:6.2f} {gaz.ids[c]} {describe(c)}")
            print(f"     ..{text[max(0, t.start - 60):t.end + 30]!r}".replace("\n", " "))
    print(f"\n{total} gold toponyms; errors by group:", file=sys.stderr)
    for g, n in groups.most_common():
        print(f"  {n:5d}  {g}", file=sys.stderr)


if __name__ == "__main__":
    main()
