"""``wirecoder serve``'s JSON API through Starlette's TestClient: every endpoint and filter,
paging, one error shape, the OpenAPI schema, and the safety rules (token, read-only,
cross-site). Stores are built with the rule-based stand-in stage."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the serve extra (fastapi, uvicorn) is not installed")
from fastapi.testclient import TestClient  # noqa: E402
from openapi_spec_validator import validate  # noqa: E402

from wirecoder import review  # noqa: E402
from wirecoder.export import ExportFilters, export_events  # noqa: E402
from wirecoder.records import Article, Published, Source  # noqa: E402
from wirecoder.runner import run_pipeline  # noqa: E402
from wirecoder.serve.app import create_app  # noqa: E402
from wirecoder.settings import Settings  # noqa: E402
from wirecoder.store import Store  # noqa: E402
from wirecoder.store.testing import KeywordCoder  # noqa: E402

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
# Texts written for these tests: a clash in Dael told twice (one event of two reports), a
# protest in Nawa, a shelling of Jasem (Syria, Daraa), and a clash in Goma (DR Congo).
STORIES = [
    ("wire", "2025-03-04", "Wire report", "Syrian army soldiers clashed with rebels in Dael on 2025-03-04, and 4 soldiers were killed."),
    ("paper", "2025-03-05", "Paper report", "Rebels fought the army in Dael on 2025-03-04; 5 soldiers died."),
    ("radio", "2025-03-06", "Radio report", "Hundreds protest in Nawa on 2025-03-06 against prices."),
    ("daily", "2025-03-17", "Daily report", "The army shelled Jasem on 2025-03-17, and 2 people were killed."),
    ("agency", "2025-02-10", "Agency report", "M23 rebels clashed with the army in Goma on 2025-02-10, and 3 people were killed."),
]


def build(path: Path) -> str:
    articles = [Article(id=f"{o}-{d}", source=Source(outlet=o), headline=t, published=Published(d, "metadata"),
                        paragraphs=[x]) for o, d, t, x in STORIES]
    run_pipeline(["test"], Settings(), db_path=str(path), progress=False, stages=[KeywordCoder()], articles=articles)
    return str(path)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return build(tmp_path / "w.db")


@pytest.fixture
def client(db: str) -> TestClient:
    return TestClient(create_app(db, Settings(), token=TOKEN))


@pytest.fixture
def readonly(db: str) -> TestClient:
    return TestClient(create_app(db, Settings(), token=None))


def ids(client: TestClient, **params: Any) -> list[str]:
    response = client.get("/api/events", params=params)
    assert response.status_code == 200, response.text
    return [e["id"] for e in response.json()["events"]]


def event_at(client: TestClient, location: str) -> str:
    return next(e["id"] for e in client.get("/api/events").json()["events"] if e["location"] == location)


def locations(client: TestClient, **params: Any) -> list[str]:
    return sorted(e["location"] for e in client.get("/api/events", params=params).json()["events"])


def test_serve_api_events_lists_current_events_with_total(client: TestClient) -> None:
    body = client.get("/api/events").json()
    assert body["total"] == 4 and body["offset"] == 0 and body["limit"] == Settings().serve.page_size
    assert sorted(e["location"] for e in body["events"]) == ["Dael", "Goma", "Jasem", "Nawa"]
    dael = next(e for e in body["events"] if e["location"] == "Dael")
    assert dael["n_reports"] == 2 and dael["fatalities"] == 4 and dael["reviewed"] is False


@pytest.mark.parametrize("params, expected", [
    # country by name or ISO code, any case
    ({"country": "syria"}, ["Dael", "Jasem", "Nawa"]),
    ({"country": "CD"}, ["Goma"]),
    ({"country": ["CD", "Syria"]}, ["Dael", "Goma", "Jasem", "Nawa"]),
    ({"admin1": "North Kivu"}, ["Goma"]),
    # dates are inclusive
    ({"since": "2025-03-06"}, ["Jasem", "Nawa"]),
    ({"until": "2025-03-04"}, ["Dael", "Goma"]),
    ({"since": "2025-03-04", "until": "2025-03-06"}, ["Dael", "Nawa"]),
    # type: event type, sub-event type or PLOVER type
    ({"type": "Battles"}, ["Dael", "Goma"]),
    ({"type": "Peaceful protest"}, ["Nawa"]),
    # actor: a substring of any actor's name
    ({"actor": "rebel"}, ["Dael", "Goma"]),
    ({"actor": ["rebel", "state"]}, ["Dael", "Goma", "Jasem"]),
    ({"bbox": "35.9,32.7,36.2,32.95"}, ["Dael", "Nawa"]),
    ({"modality": "asserted"}, ["Dael", "Goma", "Jasem", "Nawa"]),
    ({"modality": "claimed"}, []),
    ({"reviewed": "false"}, ["Dael", "Goma", "Jasem", "Nawa"]),
    ({"reviewed": "true"}, []),
    ({"include_noncurrent": "true"}, ["Dael", "Goma", "Jasem", "Nawa"]),
    ({"include_plover_only": "false"}, ["Dael", "Goma", "Jasem", "Nawa"]),
])
def test_serve_api_events_filters(client: TestClient, params: dict[str, Any], expected: list[str]) -> None:
    assert locations(client, **params) == expected
    assert client.get("/api/events", params=params).json()["total"] == len(expected)


def test_serve_api_review_filters_follow_changes(client: TestClient, db: str) -> None:
    with Store.open(db) as store:
        nawa = next(r.event.id for r in store.query() if r.event.location == "Nawa")
        review.edit(store, nawa, {"modality": "claimed"}, who="ana")
        jasem = next(r.event.id for r in store.query() if r.event.location == "Jasem")
        review.reject(store, jasem, who="ana")
    assert locations(client, modality="claimed") == ["Nawa"]
    assert locations(client, reviewed="true") == ["Nawa"]
    assert locations(client) == ["Dael", "Goma", "Nawa"]  # the rejected event left the dataset
    assert locations(client, include_noncurrent="true") == ["Dael", "Goma", "Jasem", "Nawa"]
    assert locations(client, modality="denied") == []


def test_serve_api_events_pages(client: TestClient) -> None:
    every = ids(client)
    pages = [ids(client, limit=3, offset=0), ids(client, limit=3, offset=3)]
    assert pages[0] + pages[1] == every and len(pages[0]) == 3
    body = client.get("/api/events", params={"limit": 1, "offset": 2}).json()
    assert (body["total"], body["limit"], body["offset"], len(body["events"])) == (4, 1, 2, 1)


def test_serve_api_one_event_has_sources_offsets_merge_and_history(client: TestClient) -> None:
    dael = event_at(client, "Dael")
    client.post(f"/api/events/{dael}/edit", headers=AUTH, json={"who": "ana", "why": "checked", "changes": {"fatalities": 5}})
    detail = client.get(f"/api/events/{dael}").json()
    assert detail["event"]["fatalities"] == 5 and detail["summary"]["review"] == "edited"
    assert [s["outlet"] for s in detail["sources"]] == ["wire", "paper"]
    for source in detail["sources"]:
        text = client.get(f"/api/articles/{source['article_id']}").json()["text"]
        assert text[source["start"]:source["end"]].strip() == source["sentence"]
    first, second = detail["sources"]
    assert first["merge"] is None
    assert second["merge"]["total"] >= Settings().dedup.min_score and set(second["merge"]["parts"]) <= set(detail["merge_weights"])
    assert detail["reviewed_fields"] == {"fatalities": 5}
    assert [(h["who"], h["field"], h["before"], h["after"]) for h in detail["history"]] == [("ana", "fatalities", 4, 5)]


def test_serve_api_articles(client: TestClient) -> None:
    body = client.get("/api/articles", params={"limit": 2}).json()
    assert body["total"] == 5 and [a["id"] for a in body["articles"]] == ["daily-2025-03-17", "radio-2025-03-06"]
    found = client.get("/api/articles", params={"q": "prices"}).json()["articles"]
    assert [a["article_id"] for a in found] == ["radio-2025-03-06"]
    article = client.get("/api/articles/radio-2025-03-06").json()
    assert article["headline"] == "Radio report" and "against prices" in article["text"] and len(article["events"]) == 1
    assert client.get("/api/articles/nope").status_code == 404


@pytest.mark.parametrize("by, expected", [
    # weeks start on Monday, named by that day
    ("week", [("2025-02-10", 1, 3), ("2025-03-03", 2, 4), ("2025-03-17", 1, 2)]),
    ("month", [("2025-02", 1, 3), ("2025-03", 3, 6)]),
    ("country", [("Syria", 3, 6), ("Democratic Republic of Congo", 1, 3)]),
    ("admin1", [("Syria / Daraa", 3, 6), ("Democratic Republic of Congo / North Kivu", 1, 3)]),
    ("type", [("Battles", 2, 7), ("Explosions/Remote violence", 1, 2), ("Protests", 1, 0)]),
    # an event counts once for each of its actors
    ("actor", [("State forces", 3, 9), ("Rebels", 2, 7)]),
])
def test_serve_api_aggregates(client: TestClient, by: str, expected: list[tuple[str, int, int]]) -> None:
    body = client.get("/api/aggregates", params={"by": by}).json()
    assert [(b["key"], b["events"], b["fatalities"]) for b in body["buckets"]] == expected


def test_serve_api_aggregates_take_the_filters(client: TestClient) -> None:
    body = client.get("/api/aggregates", params={"by": "month", "country": "CD"}).json()
    assert [(b["key"], b["events"]) for b in body["buckets"]] == [("2025-02", 1)]


def test_serve_api_map_gives_points_then_cells(db: str) -> None:
    few = TestClient(create_app(db, Settings())).get("/api/map").json()
    assert few["mode"] == "points" and few["total"] == 4 and {p["geo_precision"] for p in few["points"]} == {1}
    crowded = TestClient(create_app(db, Settings().replace("serve", max_points=2)))
    cells = crowded.get("/api/map", params={"zoom": 3}).json()
    assert cells["mode"] == "cells" and cells["points"] == []
    assert sum(c["events"] for c in cells["cells"]) == 4 and len(cells["cells"]) == 2  # Daraa's towns share a cell
    near = crowded.get("/api/map", params={"zoom": 12, "bbox": "35.9,32.7,36.2,33.1"}).json()
    assert near["total"] == 3 and len(near["cells"]) == 3  # zoomed in, the towns part


@pytest.mark.parametrize("endpoint, fmt", [("/api/export.geojson", "geojson"), ("/api/export.csv", "acled-csv")])
def test_serve_api_exports_equal_the_command(client: TestClient, db: str, tmp_path: Path, endpoint: str, fmt: str) -> None:
    out = tmp_path / "out"
    export_events(db, fmt, str(out), ExportFilters(country=("Syria",)), Settings())
    served = client.get(endpoint, params={"country": "Syria"})  # the command's defaults, as the command
    assert served.status_code == 200 and served.text == out.read_text()


def test_serve_api_review_queue_and_actions(client: TestClient) -> None:
    queue = client.get("/api/review/queue").json()["items"]
    assert len(queue) == 4 and queue[0]["doubt"] >= queue[-1]["doubt"]
    assert queue[-1]["event"]["location"] == "Dael"  # two sources: the least doubtful
    nawa, jasem, goma, dael = (event_at(client, x) for x in ("Nawa", "Jasem", "Goma", "Dael"))
    post = lambda path, body: client.post(path, headers=AUTH, json={"who": "ana", **body})  # noqa: E731
    assert post(f"/api/events/{nawa}/confirm", {}).json()["review"] == "confirmed"
    assert post(f"/api/events/{jasem}/reject", {"why": "not a shelling"}).json()["review"] == "rejected"
    assert post(f"/api/events/{goma}/edit", {"changes": {"fatalities": 4}}).json()["changed"] == ["fatalities"]
    report = next(s["report_id"] for s in client.get(f"/api/events/{dael}").json()["sources"] if s["outlet"] == "paper")
    new = post(f"/api/events/{dael}/split", {"report_ids": [report]}).json()["new_event_id"]
    assert post("/api/merge", {"keep": dael, "absorb": new}).json()["event_id"] == dael
    assert {i["event"]["id"] for i in client.get("/api/review/queue").json()["items"]} == set()
    log = client.get("/api/audit").json()
    assert [e["action"] for e in log["entries"]] == ["confirm", "reject", "edit", "split", "split", "merge", "merge"]
    assert client.get("/api/audit", params={"event_id": goma}).json()["total"] == 1


# Every error has one shape: {"error": {"status", "type", "message"}}, its status repeated.
@pytest.mark.parametrize("method, path, kwargs, status, kind", [
    ("get", "/api/events/nope", {}, 404, "not_found"),
    ("get", "/api/nowhere", {}, 404, "not_found"),
    ("get", "/api/events?since=March", {}, 400, "bad_request"),
    ("get", "/api/events?bbox=1,2,3", {}, 400, "bad_request"),
    ("get", "/api/events?limit=0", {}, 400, "bad_request"),
    ("get", "/api/events?modality=likely", {}, 400, "bad_request"),
    ("get", "/api/aggregates?by=decade", {}, 400, "bad_request"),
    ("post", "/api/merge", {"json": {"who": "a", "keep": "x", "absorb": "y"}}, 401, "unauthorized"),
    ("post", "/api/merge", {"json": {"who": "a", "keep": "x", "absorb": "y"}, "headers": {"Authorization": "Bearer wrong"}}, 401, "unauthorized"),
    ("post", "/api/merge", {"data": {"who": "a"}, "headers": AUTH}, 415, "unsupported_media_type"),
    ("post", "/api/merge", {"json": {"who": "a", "keep": "x", "absorb": "y"}, "headers": AUTH}, 404, "not_found"),
    ("post", "/api/merge", {"json": {"who": "a"}, "headers": AUTH}, 400, "bad_request"),
    ("post", "/api/events/x/edit", {"json": {"who": "a", "changes": {}, "extra": 1}, "headers": AUTH}, 400, "bad_request"),
    # a page on another site posting to this one, with or without the token
    ("post", "/api/merge", {"json": {}, "headers": {**AUTH, "Sec-Fetch-Site": "cross-site"}}, 403, "forbidden"),
    ("post", "/api/merge", {"json": {}, "headers": {**AUTH, "Origin": "http://evil.example"}}, 403, "forbidden"),
    ("delete", "/api/events", {}, 405, "method_not_allowed"),
])
def test_serve_api_errors_have_one_shape(client: TestClient, method: str, path: str, kwargs: dict, status: int,
                                         kind: str) -> None:
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "type", "message"}
    assert (body["error"]["status"], body["error"]["type"]) == (status, kind) and body["error"]["message"]


def test_serve_api_same_site_changes_pass(client: TestClient) -> None:
    nawa = event_at(client, "Nawa")
    headers = {**AUTH, "Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"}
    assert client.post(f"/api/events/{nawa}/confirm", headers=headers, json={"who": "ana"}).status_code == 200


def test_serve_api_without_token_is_readonly_and_leaves_the_file_alone(db: str) -> None:
    before = hashlib.sha256(Path(db).read_bytes()).hexdigest()
    client = TestClient(create_app(db, Settings()))
    assert client.get("/api/meta").json()["readonly"] is True
    dael = event_at(client, "Dael")
    for headers in ({}, AUTH):
        response = client.post(f"/api/events/{dael}/confirm", headers=headers, json={"who": "ana"})
        assert response.status_code == 403 and "read-only" in response.json()["error"]["message"]
    client.get(f"/api/events/{dael}")
    assert hashlib.sha256(Path(db).read_bytes()).hexdigest() == before
    assert client.get("/api/audit").json()["total"] == 0


def test_serve_api_token_from_settings(db: str) -> None:
    client = TestClient(create_app(db, Settings().replace("serve", review_token="from-settings")))
    nawa = event_at(client, "Nawa")
    ok = client.post(f"/api/events/{nawa}/confirm", headers={"Authorization": "Bearer from-settings"}, json={"who": "a"})
    assert ok.status_code == 200


def test_serve_api_openapi_schema_validates_and_names_every_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    validate(spec)
    assert set(spec["paths"]) == {
        "/api/meta", "/api/events", "/api/events/{event_id}", "/api/articles", "/api/articles/{article_id}",
        "/api/aggregates", "/api/map", "/api/export.geojson", "/api/export.csv", "/api/review/queue", "/api/audit",
        "/api/events/{event_id}/confirm", "/api/events/{event_id}/reject", "/api/events/{event_id}/edit",
        "/api/events/{event_id}/split", "/api/merge"}
    assert "ErrorBody" in spec["components"]["schemas"]


def test_serve_page_and_assets_come_from_the_package(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "/static/app.js" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for asset in ("/static/app.js", "/static/style.css", "/static/vendor/leaflet/leaflet.js",
                  "/static/vendor/topojson-client/topojson-client.min.js",
                  "/static/vendor/world-atlas/countries-50m.json", "/docs"):
        assert client.get(asset).status_code == 200, asset
    # no page or script reaches for another host
    for asset in ("/", "/docs", "/static/app.js", "/static/docs.js"):
        assert "http://" not in client.get(asset).text.replace("http://www.w3.org/2000/svg", "")
        assert "https://" not in client.get(asset).text


def test_serve_binds_this_machine_by_default() -> None:
    assert Settings().serve.host == "127.0.0.1" and Settings().serve.review_token == ""


def test_serve_json_keeps_hostile_text_as_data(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    text = 'Rebels clashed with the army in Dael on 2025-03-04. <script>alert(1)</script> <img src=x onerror="alert(2)">'
    run_pipeline(["t"], Settings(), db_path=str(path), progress=False, stages=[KeywordCoder()],
                 articles=[Article(id="h", headline="Hostile", published=Published("2025-03-04", "metadata"), paragraphs=[text])])
    article = TestClient(create_app(str(path), Settings())).get("/api/articles/h")
    assert article.headers["content-type"] == "application/json" and "<script>alert(1)</script>" in article.json()["text"]
    json.loads(article.text)


def test_serve_api_bad_filters_are_named_in_the_api_words(client: TestClient) -> None:
    message = client.get("/api/events", params={"since": "March"}).json()["error"]["message"]
    assert message == "since 'March' is not a date; use YYYY-MM-DD"


def test_serve_api_reads_a_store_from_before_reviews(tmp_path: Path) -> None:
    import sqlite3

    from wirecoder.store.schema import migrate

    path = tmp_path / "v4.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=4)
    conn.close()
    client = TestClient(create_app(str(path), Settings()))
    meta = client.get("/api/meta").json()
    assert (meta["reviews"], meta["events"]) == (False, 0)
    assert client.get("/api/review/queue").json()["items"] == [] and client.get("/api/audit").json()["total"] == 0
