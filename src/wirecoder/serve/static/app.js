// The workbench page: plain JavaScript over the JSON API. Text from the store (articles,
// sentences, names) is only ever put in the page as text nodes (textContent), never as
// HTML, so a story holding <script> or <img onerror=…> shows those characters and runs nothing.
"use strict";

const state = { filters: {}, page: 0, pageSize: 50, meta: null, event: null, weeks: [] };
const $ = (id) => document.getElementById(id);

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function status(message, isError) {
  const s = $("status");
  s.textContent = message || "";
  s.className = isError ? "error" : "";
}

function params(extra) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...state.filters, ...(extra || {}) })) {
    if (v === "" || v === null || v === undefined) continue;
    p.append(k, v);
  }
  return p;
}

// Each loader keeps only its latest answer: an older request that returns late (the
// filters changed meanwhile) must not draw over a newer one.
const latest = {};
async function fresh(name, path) {
  const ticket = (latest[name] = (latest[name] || 0) + 1);
  const body = await api(path);
  return ticket === latest[name] ? body : null;
}

async function api(path, options) {
  const response = await fetch(path, options);
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const message = body && body.error ? body.error.message : response.statusText;
    throw new Error(`${response.status}: ${message}`);
  }
  return body;
}

async function change(path, body) {
  const who = $("who").value.trim();
  const result = await api(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: "Bearer " + $("token").value },
    body: JSON.stringify({ who, ...body }),
  });
  return result;
}

// -- filters -----------------------------------------------------------------------------

function fillSelect(select, values, label) {
  for (const v of values) {
    const option = el("option", label ? label(v) : v);
    option.value = typeof v === "string" ? v : v.admin1;
    select.append(option);
  }
}

function readFilters() {
  const f = {};
  for (const name of ["country", "admin1", "since", "until", "type", "actor", "modality", "reviewed"]) {
    f[name] = $("f-" + name).value;
  }
  if (f.modality && !["asserted", "claimed"].includes(f.modality)) f.include_noncurrent = "true";
  state.filters = f;
  state.page = 0;
}

function refresh() {
  const p = params();
  $("csv-link").href = "/api/export.csv?" + p;
  $("geojson-link").href = "/api/export.geojson?" + p;
  loadMap();
  loadList();
  loadTimeline();
  if (!$("tab-queue").classList.contains("hidden")) loadQueue();
}

// -- the map -----------------------------------------------------------------------------

const map = L.map("map", { worldCopyJump: true, minZoom: 1 }).setView([15, 20], 2);
const baseLayer = L.layerGroup().addTo(map);
const eventLayer = L.layerGroup().addTo(map);

fetch("/static/vendor/world-atlas/countries-50m.json").then(r => r.json()).then(topology => {
  const countries = topojson.feature(topology, topology.objects.countries);
  L.geoJSON(countries, { style: { color: "#8a8a8a", weight: 0.7, fillColor: "#f2efe6", fillOpacity: 1 }, interactive: false })
    .addTo(baseLayer);
});

function markerFor(e) {
  // geo_precision 1: the place itself, a solid dot. 2: near it or its district, a ring.
  // 3: only the province is known: a wide dashed area, never a pin on one spot.
  const where = [e.latitude, e.longitude];
  const precision = e.geo_precision || 3;
  const cls = `event-marker precision-${precision}`;
  let marker;
  if (precision >= 3) {
    marker = L.circleMarker(where, { radius: 13, color: "#8e44ad", weight: 2, dashArray: "4 3", fillColor: "#8e44ad", fillOpacity: 0.12, className: cls });
  } else if (precision === 2) {
    marker = L.circleMarker(where, { radius: 7, color: "#c0392b", weight: 3, fillColor: "#fff", fillOpacity: 0.9, className: cls });
  } else {
    marker = L.circleMarker(where, { radius: 6, color: "#611", weight: 1, fillColor: "#c0392b", fillOpacity: 0.9, className: cls });
  }
  const label = [e.event_date || "undated", e.sub_event_type || e.event_type || e.plover_type, e.location].filter(Boolean).join(" · ");
  marker.bindTooltip(el("span", label));  // a node: Leaflet would parse a string as HTML
  marker.on("click", () => openEvent(e.id));
  return marker;
}

async function loadMap() {
  const p = params({ zoom: map.getZoom() });
  const b = map.getBounds();
  if (map.getZoom() >= 4) {
    p.set("bbox", [Math.max(-180, b.getWest()), Math.max(-90, b.getSouth()), Math.min(180, b.getEast()), Math.min(90, b.getNorth())].map(x => x.toFixed(4)).join(","));
  }
  try {
    const view = await fresh("map", "/api/map?" + p);
    if (!view) return;
    eventLayer.clearLayers();
    for (const e of view.points) eventLayer.addLayer(markerFor(e));
    for (const c of view.cells) {
      const size = Math.min(44, 18 + Math.log2(c.events) * 3);  // within the 48-pixel cell
      const icon = L.divIcon({ className: "cell-icon event-cell", html: "", iconSize: [size, size] });
      const m = L.marker([c.latitude, c.longitude], { icon });
      m.on("add", () => { const node = m.getElement(); node.textContent = String(c.events); node.style.lineHeight = (size - 4) + "px"; });
      m.bindTooltip(el("span", `${c.events} events, ${c.fatalities} fatalities` + (c.province_level ? `, ${c.province_level} placed only at a province` : "")));
      m.on("click", () => map.setView([c.latitude, c.longitude], Math.min(map.getZoom() + 2, 12)));
      eventLayer.addLayer(m);
    }
    $("map-count").textContent = `${view.total} events on the map` + (view.mode === "cells" ? " (grouped)" : "");
  } catch (err) { status(err.message, true); }
}
map.on("moveend", () => { if (state.meta) loadMap(); });

// -- the list ------------------------------------------------------------------------------

async function loadList() {
  try {
    const page = await fresh("list", "/api/events?" + params({ limit: state.pageSize, offset: state.page * state.pageSize }));
    if (!page) return;
    const body = $("event-list").querySelector("tbody");
    body.textContent = "";
    for (const e of page.events) {
      const tr = el("tr");
      tr.dataset.eventId = e.id;
      tr.className = "event-row";
      for (const v of [e.event_date || "—", e.sub_event_type || e.event_type || e.plover_type || "—",
                       [e.location, e.country].filter(Boolean).join(", "), e.fatalities, e.modality, e.confidence.toFixed(2)]) {
        tr.append(el("td", v));
      }
      if (e.reviewed) tr.firstChild.append(" ", el("span", "✓", "badge confirmed"));
      tr.addEventListener("click", () => openEvent(e.id));
      body.append(tr);
    }
    $("list-info").textContent = `${page.total} events`;
    const pages = $("list-pages");
    pages.textContent = "";
    if (state.page > 0) { const b = el("button", "‹ previous"); b.onclick = () => { state.page--; loadList(); }; pages.append(b); }
    if ((state.page + 1) * state.pageSize < page.total) { const b = el("button", "next ›"); b.onclick = () => { state.page++; loadList(); }; pages.append(b); }
  } catch (err) { status(err.message, true); }
}

// -- the timeline --------------------------------------------------------------------------

async function loadTimeline() {
  const p = params();
  p.delete("since"); p.delete("until");  // the timeline shows every week; the brush picks
  try {
    const result = await fresh("timeline", "/api/aggregates?by=week&" + p);
    if (!result) return;
    state.weeks = result.buckets;
    drawTimeline();
  } catch (err) { status(err.message, true); }
}

function svg(tag, attrs) {
  const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

function drawTimeline() {
  const box = $("timeline");
  box.textContent = "";
  const weeks = state.weeks;
  const width = box.clientWidth || 600, height = box.clientHeight || 120, bottom = 14;
  if (!weeks.length) { box.append(svg("text", { x: 8, y: 20 })).textContent = "no dated events"; return; }
  const day = 86400000, first = Date.parse(weeks[0].key), last = Date.parse(weeks[weeks.length - 1].key) + 7 * day;
  const x = (t) => ((t - first) / (last - first)) * (width - 20) + 10;
  const maxEvents = Math.max(...weeks.map(w => w.events)), maxDeaths = Math.max(1, ...weeks.map(w => w.fatalities));
  const barWidth = Math.max(2, x(first + 7 * day) - x(first) - 1);
  const since = state.filters.since, until = state.filters.until;
  let line = "";
  for (const w of weeks) {
    const t = Date.parse(w.key), h = (w.events / maxEvents) * (height - bottom - 6);
    const weekEnd = new Date(t + 6 * day).toISOString().slice(0, 10);
    const inside = (!since || weekEnd >= since) && (!until || w.key <= until);
    const bar = svg("rect", { x: x(t), y: height - bottom - h, width: barWidth, height: h, class: "bar" + (inside && (since || until) ? " in" : "") });
    bar.append(svg("title"));
    bar.firstChild.textContent = `week of ${w.key}: ${w.events} events, ${w.fatalities} fatalities`;
    box.append(bar);
    const y = height - bottom - (w.fatalities / maxDeaths) * (height - bottom - 6);
    line += (line ? " L" : "M") + (x(t) + barWidth / 2).toFixed(1) + " " + y.toFixed(1);
  }
  box.append(svg("path", { d: line, class: "deaths" }));
  for (const t of [first, last - 7 * day]) {
    const label = svg("text", { x: Math.min(x(t), width - 60), y: height - 2 });
    label.textContent = new Date(t).toISOString().slice(0, 10);
    box.append(label);
  }
  if (since || until) {
    const a = since ? x(Date.parse(since)) : 10, b = until ? x(Date.parse(until) + day) : width - 10;
    box.append(svg("rect", { x: Math.min(a, b), y: 0, width: Math.abs(b - a), height: height - bottom, class: "brush" }));
  }
  state.timeline = { x, first, last, width };
}

(function brush() {
  const box = $("timeline");
  let start = null, rect = null;
  const toDate = (px) => {
    const { first, last, width } = state.timeline;
    const t = first + ((px - 10) / (width - 20)) * (last - first);
    return new Date(Math.min(Math.max(t, first), last)).toISOString().slice(0, 10);
  };
  box.addEventListener("mousedown", (ev) => {
    if (!state.timeline) return;
    start = ev.offsetX;
    rect = svg("rect", { x: start, y: 0, width: 1, height: box.clientHeight - 14, class: "brush" });
    box.append(rect);
  });
  box.addEventListener("mousemove", (ev) => {
    if (start === null) return;
    rect.setAttribute("x", Math.min(start, ev.offsetX));
    rect.setAttribute("width", Math.abs(ev.offsetX - start));
  });
  window.addEventListener("mouseup", (ev) => {
    if (start === null) return;
    const end = ev.target === box || box.contains(ev.target) ? ev.offsetX : start;
    const [a, b] = [Math.min(start, end), Math.max(start, end)];
    start = null;
    if (b - a < 3) { drawTimeline(); return; }
    $("f-since").value = toDate(a);
    $("f-until").value = toDate(b);
    readFilters();
    refresh();
  });
  $("clear-brush").addEventListener("click", () => { $("f-since").value = ""; $("f-until").value = ""; readFilters(); refresh(); });
})();

// -- one event -------------------------------------------------------------------------------

function showTab(name) {
  for (const b of document.querySelectorAll("#tabs button")) b.classList.toggle("active", b.dataset.tab === name);
  for (const t of document.querySelectorAll(".tab")) t.classList.toggle("hidden", t.id !== "tab-" + name);
  if (name === "queue") loadQueue();
  if (name === "audit") loadAudit();
}
for (const b of document.querySelectorAll("#tabs button")) b.addEventListener("click", () => showTab(b.dataset.tab));

function articleWithEvidence(article, start, end) {
  // The article text as text nodes, the evidence sentence in a <mark>: never parsed as HTML.
  const box = el("div", null, "article-text");
  const text = article.text || "";
  if (Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= text.length && start < end) {
    box.append(document.createTextNode(text.slice(0, start)), el("mark", text.slice(start, end), "evidence"),
               document.createTextNode(text.slice(end)));
  } else {
    box.textContent = text;
  }
  return box;
}

function fieldTable(e, summary) {
  const table = el("table", null, "fields");
  const rows = [
    ["type", [e.event_type, e.sub_event_type].filter(Boolean).join(" / ") || "—"],
    ["PLOVER", [e.plover_type, e.plover_mode].filter(Boolean).join(" / ") || "—"],
    ["date", (e.event_date || "unknown") + (e.date_text ? ` (“${e.date_text}”)` : "")],
    ["place", [e.location, e.admin2, e.admin1, e.country].filter(Boolean).join(", ") + ` — precision ${e.geo_precision}`],
    ["actors", [e.actor1, e.assoc_actor_1, e.actor2, e.assoc_actor_2].filter(Boolean).join(" ⟷ ") || "—"],
    ["fatalities", e.fatalities + (e.injuries != null ? `, injured ${e.injuries}` : "")],
    ["modality", e.modality + (e.attribution ? ` (according to ${e.attribution})` : "")],
    ["confidence", e.confidence.toFixed(2)],
    ["reports", summary.n_reports],
    ["review", summary.review || "not reviewed"],
  ];
  for (const [k, v] of rows) { const tr = el("tr"); tr.append(el("td", k), el("td", v)); table.append(tr); }
  return table;
}

function mergeWhy(source, weights) {
  const box = el("div", null, "why");
  if (!source.merge) { box.textContent = "first report: the event was created from it"; return box; }
  box.append(el("div", `merged: score ${source.merge.total.toFixed(2)}`));
  const ul = el("ul");
  for (const [part, value] of Object.entries(source.merge.parts || {})) {
    const reason = (source.merge.reasons || {})[part] || "";
    ul.append(el("li", `${part} ${Number(value).toFixed(2)} × ${weights[part] ?? "?"} — ${reason}`));
  }
  box.append(ul);
  return box;
}

async function openEvent(id) {
  try {
    const detail = await api("/api/events/" + encodeURIComponent(id));
    state.event = detail;
    const e = detail.event, panel = $("event-panel");
    panel.textContent = "";
    panel.dataset.eventId = e.id;
    const title = el("h2", `${e.sub_event_type || e.event_type || e.plover_type || "event"} — ${e.location || e.country || "?"}`);
    title.append(" ", el("span", detail.summary.review || "unreviewed", "badge " + (detail.summary.review || "")));
    panel.append(title, el("div", "id " + e.id, "hint"), fieldTable(e, detail.summary));
    if (!state.meta.readonly) panel.append(reviewControls(detail));
    panel.append(el("h3", `Sources (${detail.sources.length})`));
    for (const s of detail.sources) {
      const box = el("div", null, "source");
      box.dataset.reportId = s.report_id;
      box.append(el("div", [s.outlet, s.published_date, s.headline].filter(Boolean).join(" · ")));
      box.append(el("div", `evidence [${s.start}–${s.end}]: “${s.sentence || ""}”`, "hint"));
      box.append(mergeWhy(s, detail.merge_weights));
      const article = await api("/api/articles/" + encodeURIComponent(s.article_id));
      box.append(articleWithEvidence(article, s.start, s.end));
      panel.append(box);
    }
    if (detail.history.length) {
      panel.append(el("h3", "History"));
      const ul = el("ul", null, "history");
      for (const h of detail.history) ul.append(el("li", `${h.at} ${h.who} ${h.action} ${h.field || ""}: ${JSON.stringify(h.before)} → ${JSON.stringify(h.after)}${h.why ? " — " + h.why : ""}`));
      panel.append(ul);
    }
    showTab("event");
    const mark = panel.querySelector("mark.evidence");
    if (mark) mark.scrollIntoView({ block: "center" });
  } catch (err) { status(err.message, true); }
}

const EDITABLE = ["fatalities", "sub_event_type", "event_date", "actor1", "actor2", "assoc_actor_1", "assoc_actor_2",
                  "location", "admin1", "country", "latitude", "longitude", "geo_precision", "injuries", "modality", "notes"];
const NUMERIC = new Set(["fatalities", "injuries", "latitude", "longitude", "geo_precision"]);

function reviewControls(detail) {
  const id = detail.event.id, box = el("div", null, "review-actions");
  const why = el("input"); why.placeholder = "why"; why.id = "review-why";
  const act = async (label, fn) => {
    try { await fn(); status(label + " saved"); await openEvent(id); loadList(); loadMap(); loadTimeline(); }
    catch (err) { status(err.message, true); }
  };
  const confirm = el("button", "Confirm"); confirm.id = "confirm";
  confirm.onclick = () => act("confirmation", () => change(`/api/events/${id}/confirm`, { why: why.value }));
  const reject = el("button", "Reject"); reject.id = "reject";
  reject.onclick = () => act("rejection", () => change(`/api/events/${id}/reject`, { why: why.value }));
  const field = el("select"); field.id = "edit-field";
  for (const f of EDITABLE) { const o = el("option", f); o.value = f; field.append(o); }
  const value = el("input"); value.id = "edit-value"; value.placeholder = "new value"; value.size = 12;
  const save = el("button", "Edit"); save.id = "edit";
  save.onclick = () => act("edit", () => {
    let v = value.value.trim();
    if (NUMERIC.has(field.value)) v = v === "" ? null : Number(v);
    else if (v === "") v = null;
    return change(`/api/events/${id}/edit`, { why: why.value, changes: { [field.value]: v } });
  });
  const other = el("input"); other.placeholder = "other event id"; other.size = 16; other.id = "merge-other";
  const merge = el("button", "Merge into this"); merge.id = "merge";
  merge.onclick = () => act("merge", () => change("/api/merge", { why: why.value, keep: id, absorb: other.value.trim() }));
  box.append(confirm, reject, field, value, save, other, merge, why);
  if (detail.sources.length > 1) {
    const split = el("button", "Split checked sources off"); split.id = "split";
    split.onclick = () => act("split", () => change(`/api/events/${id}/split`, {
      why: why.value, report_ids: [...document.querySelectorAll(".split-pick:checked")].map(c => c.value) }));
    box.append(split);
    setTimeout(() => {
      for (const s of document.querySelectorAll(".source")) {
        const pick = el("input", null, "split-pick"); pick.type = "checkbox"; pick.value = s.dataset.reportId;
        s.prepend(pick);
      }
    });
  }
  return box;
}

// -- review queue and audit log ---------------------------------------------------------------

async function loadQueue() {
  try {
    const result = await fresh("queue", "/api/review/queue?" + params({ limit: 50 }));
    if (!result) return;
    const list = $("queue");
    list.textContent = "";
    for (const item of result.items) {
      const e = item.event;
      const reasons = Object.entries(item.parts).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(", ");
      const li = el("li", `doubt ${item.doubt.toFixed(2)} — ${e.sub_event_type || e.event_type || e.plover_type || "?"}, ${e.location || "?"} (${e.event_date || "undated"}): ${reasons}`);
      li.dataset.eventId = e.id;
      li.addEventListener("click", () => openEvent(e.id));
      list.append(li);
    }
  } catch (err) { status(err.message, true); }
}

async function loadAudit() {
  try {
    const result = await api("/api/audit?limit=500");
    const body = $("audit").querySelector("tbody");
    body.textContent = "";
    for (const a of result.entries) {
      const tr = el("tr", null, "audit-row");
      for (const v of [a.at, a.who, a.event_id, a.action, a.field || "", JSON.stringify(a.before), JSON.stringify(a.after), a.why]) tr.append(el("td", v));
      body.append(tr);
    }
  } catch (err) { status(err.message, true); }
}

// -- start -------------------------------------------------------------------------------------

$("filters").addEventListener("submit", (ev) => { ev.preventDefault(); readFilters(); refresh(); });
$("clear-filters").addEventListener("click", () => { $("filters").reset(); readFilters(); refresh(); });
$("f-country").addEventListener("change", () => {
  const select = $("f-admin1"), country = $("f-country").value;
  select.length = 1;
  fillSelect(select, state.meta.facets.admin1.filter(a => !country || a.country === country).map(a => a.admin1));
});

(async function start() {
  try {
    state.meta = await api("/api/meta");
    const f = state.meta.facets;
    fillSelect($("f-country"), f.countries);
    fillSelect($("f-admin1"), f.admin1.map(a => a.admin1));
    fillSelect($("f-type"), [...f.event_types, ...f.sub_event_types]);
    fillSelect($("f-modality"), ["asserted", "claimed", "denied", "historical", "future", "hypothetical"]);
    $("mode").textContent = state.meta.readonly ? "read-only: started without a review token" : "edits need the token";
    if (state.meta.readonly) $("token").disabled = true;
    readFilters();
    refresh();
    document.body.dataset.ready = "true";
  } catch (err) { status(err.message, true); }
})();
