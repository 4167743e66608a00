"""``wirecoder eval articles``: event coding on whole news reports, through the same
stages as ``wirecoder run`` (nlp, geoparse, code, resolve, consolidate). Only current
events (asserted, claimed) count, as only they enter the dataset.

- **ISAF** (``articles/isaf_dev.jsonl``): per release, the accuracy of seven fields and
  their mean: ``killq`` (summed fatalities > 0), ``min_killed`` (summed fatalities equal),
  ``captureq`` (an *Arrests* event), ``airstrike`` (an *Air/drone strike* event),
  ``province`` (the commonest admin1 of violent and arrest events), ``start_date`` (the
  earliest date of those events), ``target_group`` (a gold group named among the actors;
  none of the set's groups named when the gold has none).
- **MUC-4** (``articles/muc4_dev.jsonl``): a report is *found* when it has a current event
  of type Violence against civilians, Explosions/Remote violence, Abduction or
  Looting/property destruction; precision, recall and F1 against the relevant reports
  (doubtful ones left out). Over found relevant reports: the perpetrator organisation
  named in ``actor1``/``assoc_actor_1``, and summed fatalities equal to the gold victim
  deaths where the key gives them.

Province names are compared without case, accents, punctuation or the word "province",
and transliterations that differ only in vowels ("Paktya" and "Paktia", "Sar-e Pul" and
"Sar-e Pol") count as the same name.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..errors import EvalDataError
from ..records import Article, ErrorRecord, Event, Published
from ..settings import Settings

ISAF_FILE = "isaf_dev.jsonl"
MUC_FILE = "muc4_dev.jsonl"
ISAF_FIELDS = ("killq", "min_killed", "captureq", "airstrike", "province", "start_date", "target_group")

VIOLENT_DISORDER = "Political violence"
MUC_FOUND_TYPES = frozenset({"Violence against civilians", "Explosions/Remote violence"})
MUC_FOUND_SUBTYPES = frozenset({"Abduction/forced disappearance", "Looting/property destruction"})
MUC_RELEVANT_TYPES = frozenset({"ATTACK", "BOMBING", "KIDNAPPING", "ARSON", "ROBBERY", "FORCED WORK STOPPAGE"})
MUC_RELEVANT_STAGES = frozenset({"ACCOMPLISHED", "ATTEMPTED"})

# The ISAF set's group labels, as names an actor field may carry.
ISAF_GROUPS: dict[str, tuple[str, ...]] = {
    "taliban": ("taliban",),
    "haqqani": ("haqqani",),
    "imu": ("islamic movement of uzbekistan", "imu"),
    "aq": ("al-qaeda", "al qaeda", "al-qaida", "al qaida"),
    "hig": ("hezb-e-islami", "hizb-i-islami", "hig"),
    "let": ("lashkar-e-taiba", "lashkar-e-tayyiba", "let"),
    "iju": ("islamic jihad union", "iju"),
    "ttp": ("tehrik-i-taliban", "tehreek-e-taliban", "ttp"),
}


# -- reading and coding -------------------------------------------------------------
def read_jsonl(path: Path) -> list[dict[str, Any]]:
    try:
        with path.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise EvalDataError(f"cannot read {path}: {exc}") from exc


def to_article(record: dict[str, Any]) -> Article:
    """A report as ``wirecoder code`` takes a JSONL snippet: paragraphs at line breaks."""
    text = record["text"].replace("\u2028", "\n").replace("\u2029", "\n")
    paragraphs = [p.strip() for p in re.split(r"\n\s*", text) if p.strip()]
    published = Published(record["published"], "metadata") if record.get("published") else Published()
    return Article(id=record["id"], paragraphs=paragraphs, published=published)


def code_reports(records: list[dict[str, Any]], settings: Settings) -> Iterator[tuple[dict[str, Any], list[Event]]]:
    """Each record with its current events (a report that fails has none)."""
    from ..pipeline import analyze, build_stages

    stages = build_stages(settings)
    # analyze yields one result per article, in input order
    for record, result in zip(records, analyze((to_article(r) for r in records), stages, settings)):
        events = [] if isinstance(result, ErrorRecord) else result.events
        yield record, [e for e in events if e.is_current]


# -- comparisons ----------------------------------------------------------------------
def province_key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\bprovince\b|\bwilayat\b|\bvelayat\b", " ", text)
    return re.sub(r"[^a-z]", "", text)


def same_province(predicted: str | None, gold: Iterable[str]) -> bool:
    usable = [g for g in gold if g and g != "??"]
    if not usable:
        return predicted is None
    if predicted is None:
        return False
    ours = province_key(predicted)
    skeleton = re.sub(r"[aeiouyw]", "", ours)
    for name in usable:
        key = province_key(name)
        if key == ours or (len(key) > 3 and re.sub(r"[aeiouyw]", "", key) == skeleton):
            return True
    return False


def actor_names(events: Iterable[Event], roles: tuple[str, ...]) -> list[str]:
    names: list[str] = []
    for event in events:
        for role in roles:
            value = getattr(event, role)
            if value:
                names.extend(part.strip().lower() for part in value.split(";"))
    return names


def names_group(names: list[str], aliases: tuple[str, ...]) -> bool:
    return any(re.search(rf"(?<![a-z]){re.escape(a)}(?![a-z])", n) for n in names for a in aliases)


# -- ISAF -------------------------------------------------------------------------------
def isaf_fields(events: list[Event]) -> dict[str, Any]:
    """What our events say about one release, in the set's seven fields."""
    killed = sum(e.fatalities for e in events)
    relevant = [e for e in events if e.disorder_type == VIOLENT_DISORDER or e.sub_event_type == "Arrests"]
    provinces = Counter(e.admin1 for e in relevant if e.admin1)
    dates = sorted(e.event_date for e in relevant if e.event_date)
    names = actor_names(events, ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2"))
    return {
        "killed": killed,
        "captured": any(e.sub_event_type == "Arrests" for e in events),
        "airstrike": any(e.sub_event_type == "Air/drone strike" for e in events),
        "province": provinces.most_common(1)[0][0] if provinces else None,
        "start_date": dates[0] if dates else None,
        "groups": sorted(g for g, aliases in ISAF_GROUPS.items() if names_group(names, aliases)),
    }


def isaf_scores(predicted: dict[str, Any], gold: dict[str, Any]) -> dict[str, bool]:
    gold_groups = set(gold.get("target_group") or [])
    ours = set(predicted["groups"])
    return {
        "killq": (predicted["killed"] > 0) == bool(gold["killq"]),
        "min_killed": predicted["killed"] == gold["min_killed"],
        "captureq": predicted["captured"] == bool(gold["captureq"]),
        "airstrike": predicted["airstrike"] == bool(gold["airstrike"]),
        "province": same_province(predicted["province"], gold.get("province") or []),
        "start_date": predicted["start_date"] == gold.get("start_date"),
        "target_group": bool(ours & gold_groups) if gold_groups else not ours,
    }


def evaluate_isaf(path: Path, settings: Settings, details: bool = False) -> dict[str, Any]:
    records = read_jsonl(path)
    totals: Counter[str] = Counter()
    misses: list[dict[str, Any]] = []
    for record, events in code_reports(records, settings):
        predicted = isaf_fields(events)
        scores = isaf_scores(predicted, record["gold"])
        totals.update(k for k, ok in scores.items() if ok)
        if details and not all(scores.values()):
            misses.append({"id": record["id"], "wrong": [k for k, ok in scores.items() if not ok],
                           "ours": predicted, "gold": record["gold"]})
    n = len(records)
    fields = {k: round(totals[k] / n, 4) if n else 0.0 for k in ISAF_FIELDS}
    result: dict[str, Any] = {"releases": n, "mean": round(sum(fields.values()) / len(fields), 4), **fields}
    if details:
        result["misses"] = misses
    return result


# -- MUC-4 ------------------------------------------------------------------------------
def muc_relevant_incidents(gold: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for i in gold["incidents"] if not i["optional"] and set(i["type"]) & MUC_RELEVANT_TYPES
            and set(i["stage"]) & MUC_RELEVANT_STAGES]


def muc_relevance(gold: dict[str, Any]) -> str:
    if not gold["incidents"]:
        return "irrelevant"
    return "relevant" if muc_relevant_incidents(gold) else "doubtful"


def muc_found(events: list[Event]) -> bool:
    return any(e.event_type in MUC_FOUND_TYPES or e.sub_event_type in MUC_FOUND_SUBTYPES for e in events)


def muc_perpetrators(incidents: list[dict[str, Any]]) -> list[list[str]]:
    """The gold organisations a system must name (fillers marked optional with ``?`` left out)."""
    required = []
    for incident in incidents:
        for alternatives in incident.get("perp_organization") or []:
            names = [a for a in alternatives if not a.strip().startswith("?")]
            if names:
                required.append([re.sub(r"\s+", " ", a.strip(" ?")).lower() for a in names])
    return required


# Our state actors are named in ACLED's style ("Military Forces of El Salvador"); the
# MUC keys name them as the text does ("ARMED FORCES", "THE ARMY", "NATIONAL POLICE").
STATE_STYLE = {
    "military forces of": r"\b(?:armed forces|army|military|troops|soldiers|battalion|brigade|air force|navy)\b",
    "police forces of": r"\b(?:police|policemen|guard|treasury police|security forces)\b",
    "government of": r"\b(?:government|administration|regime)\b",
}


def names_organisation(names: list[str], alternatives: list[str]) -> bool:
    """An actor name holds one of the gold names, or the gold name holds the actor's
    acronym-free core ("FMLN" against "Farabundo Marti National Liberation Front (FMLN)");
    an ACLED-style state actor matches the key's words for that state body."""
    for name in names:
        for prefix, words in STATE_STYLE.items():
            if name.startswith(prefix) and any(re.search(words, a) for a in alternatives):
                return True
        parts = {name, *re.findall(r"\(([^)]+)\)", name), *[p.strip() for p in re.split(r"[:(),]", name) if p.strip()]}
        for alternative in alternatives:
            if any(len(p) > 2 and (p == alternative or re.search(rf"(?<![a-z]){re.escape(alternative)}(?![a-z])", p)
                                   or re.search(rf"(?<![a-z]){re.escape(p)}(?![a-z])", alternative)) for p in parts):
                return True
    return False


def muc_toll(incidents: list[dict[str, Any]]) -> int | None:
    deaths = [i.get("deaths") for i in incidents]
    return None if any(d is None for d in deaths) else sum(deaths)


def evaluate_muc(path: Path, settings: Settings, details: bool = False) -> dict[str, Any]:
    records = read_jsonl(path)
    tp = fp = fn = 0
    perp_total = perp_named = toll_total = toll_exact = 0
    misses: list[dict[str, Any]] = []
    for record, events in code_reports(records, settings):
        relevance = muc_relevance(record["gold"])
        if relevance == "doubtful":
            continue
        found = muc_found(events)
        relevant = relevance == "relevant"
        tp += found and relevant
        fp += found and not relevant
        fn += relevant and not found
        wrong: list[str] = []
        if found != relevant:
            wrong.append("found" if relevant else "false_alarm")
        if found and relevant:
            incidents = muc_relevant_incidents(record["gold"])
            required = muc_perpetrators(incidents)
            if required:
                perp_total += 1
                names = actor_names(events, ("actor1", "assoc_actor_1"))
                if any(names_organisation(names, alternatives) for alternatives in required):
                    perp_named += 1
                else:
                    wrong.append("perpetrator")
            toll = muc_toll(incidents)
            if toll is not None:
                toll_total += 1
                ours = sum(e.fatalities for e in events)
                if ours == toll:
                    toll_exact += 1
                else:
                    wrong.append(f"toll {ours} != {toll}")
        if details and wrong:
            misses.append({"id": record["id"], "wrong": wrong,
                           "events": [_brief(e) for e in events]})
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    result: dict[str, Any] = {
        "found_precision": round(precision, 4),
        "found_recall": round(recall, 4),
        "found_f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        "perpetrator_named": round(perp_named / perp_total, 4) if perp_total else None,
        "perpetrator_reports": perp_total,
        "toll_exact": round(toll_exact / toll_total, 4) if toll_total else None,
        "toll_reports": toll_total,
    }
    if details:
        result["misses"] = misses
    return result


def _brief(event: Event) -> dict[str, Any]:
    return {"type": event.sub_event_type or event.plover_type, "actor1": event.actor1,
            "assoc_actor_1": event.assoc_actor_1, "actor2": event.actor2, "fatalities": event.fatalities,
            "admin1": event.admin1, "date": event.event_date, "evidence": event.evidence.sentence[:200]}


def evaluate(data_dir: Path, settings: Settings, details: bool = False) -> dict[str, Any]:
    articles_dir = Path(data_dir) / "eval" / "articles"
    if not articles_dir.is_dir():
        raise EvalDataError(f"whole-article evaluation sets not found in {articles_dir}")
    return {"isaf": evaluate_isaf(articles_dir / ISAF_FILE, settings, details),
            "muc4": evaluate_muc(articles_dir / MUC_FILE, settings, details)}
