"""A tiny rule-based stand-in for the analysis stages, for testing the dataset layer
(store, dedup, run, export) without loading spaCy or the gazetteer.

:class:`KeywordCoder` codes one event per sentence that names an event keyword and a
town of a small made-up gazetteer. It is the stage ``testing.keywords``: select it with
``--set 'pipeline.stages=["testing.keywords"]'``. ``testing.keywords.slow`` is the same,
slowed down by ``SLOW_DELAY`` seconds per article so that a test can kill a run half-way.
``testing.keywords.crashing`` kills the very process it runs in (SIGKILL, as the kernel's
out-of-memory killer would) on an article whose text holds :data:`KILL_ALWAYS`, or holds
:data:`KILL_ONCE` with a token no process has killed itself for yet: for tests of the
executors' worker retries. (Never select it without worker processes: it kills its own.)
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import tempfile
import time
from pathlib import Path

from .. import registry
from ..records import Document, Event, Evidence, Place
from ..settings import Settings

# name -> (geonameid, latitude, longitude, country, iso, admin1); invented ids, real-ish spots.
TOWNS: dict[str, tuple[int, float, float, str, str, str]] = {
    "Dael": (900001, 32.755, 36.130, "Syria", "SY", "Daraa"),
    "Jasem": (900002, 32.992, 36.060, "Syria", "SY", "Daraa"),
    "Nawa": (900003, 32.890, 36.043, "Syria", "SY", "Daraa"),
    "Sanameen": (900004, 33.072, 36.184, "Syria", "SY", "Daraa"),
    "Goma": (900005, -1.679, 29.228, "Democratic Republic of Congo", "CD", "North Kivu"),
    "Sake": (900006, -1.573, 29.045, "Democratic Republic of Congo", "CD", "North Kivu"),
}
# keyword stem -> (event_type, sub_event_type, disorder_type)
RULES: dict[str, tuple[str, str, str]] = {
    "clash": ("Battles", "Armed clash", "Political violence"),
    "fought": ("Battles", "Armed clash", "Political violence"),
    "shell": ("Explosions/Remote violence", "Shelling/artillery/missile attack", "Political violence"),
    "protest": ("Protests", "Peaceful protest", "Demonstrations"),
}
# keyword -> (actor, ACLED inter code); deliberately generic, this is a test double.
ACTORS: dict[str, tuple[str, int]] = {
    "army": ("State forces", 1),
    "soldiers": ("State forces", 1),
    "troops": ("State forces", 1),
    "rebels": ("Rebels", 2),
    "M23": ("M23", 2),
}
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
_TOLL = re.compile(r"(\d+)\s+(?:people|soldiers|fighters|civilians|rebels)?\s*(?:were\s+)?(?:killed|dead|died)")
_DATE = re.compile(r"\bon (\d{4}-\d{2}-\d{2})\b")


class KeywordCoder:
    """Assigns places and events from keyword rules (see the module docstring)."""

    requires: tuple[str, ...] = ("article",)
    assigns: tuple[str, ...] = ("doc", "places", "events")

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay

    def __call__(self, document: Document) -> Document:
        if self.delay:
            time.sleep(self.delay)
        text = document.text
        for match in _SENTENCE.finditer(text):
            sentence = match.group()
            lower = sentence.lower()
            rule = next((RULES[k] for k in RULES if k in lower), None)
            towns = [t for t in TOWNS if re.search(rf"\b{t}\b", sentence)]
            for town in towns:
                at = match.start() + sentence.index(town)
                gid, lat, lon, country, iso, admin1 = TOWNS[town]
                document.places.append(Place(town, at, at + len(town), gid, town, "city", iso, admin1, lat, lon, 0.9))
            if rule is None or not towns:
                continue
            actors = [ACTORS[a] for a in ACTORS if re.search(rf"\b{a}\b", sentence, re.I)]
            actors = list(dict.fromkeys(actors))
            toll = _TOLL.search(sentence)
            dated = _DATE.search(sentence)
            deaths = int(toll.group(1)) if toll else 0
            for town in towns:
                gid, lat, lon, country, iso, admin1 = TOWNS[town]
                digest = hashlib.sha1(f"{document.article.id}:{match.start()}:{town}".encode()).hexdigest()[:16]
                document.events.append(Event(
                    id=digest, article_id=document.article.id,
                    evidence=Evidence(sentence.strip(), match.start(), match.end()),
                    event_date=dated.group(1) if dated else document.article.published.date,
                    time_precision=1, disorder_type=rule[2], event_type=rule[0], sub_event_type=rule[1],
                    actor1=actors[0][0] if actors else None, inter1=actors[0][1] if actors else None,
                    actor2=actors[1][0] if len(actors) > 1 else None,
                    inter2=actors[1][1] if len(actors) > 1 else None,
                    country=country, iso=iso, admin1=admin1, location=town, geonameid=gid,
                    latitude=lat, longitude=lon, geo_precision=1,
                    fatalities=deaths // len(towns),  # ACLED: a toll over several places is split
                    confidence=0.8, sources=[document.article.id],
                ))
        return document


SLOW_DELAY = 0.1  # seconds per article: 40 articles take 4 s, time enough to kill a run


@registry.stages.register("testing.keywords")
def keyword_stage(settings: Settings) -> KeywordCoder:
    return KeywordCoder()


@registry.stages.register("testing.keywords.slow")
def slow_keyword_stage(settings: Settings) -> KeywordCoder:
    return KeywordCoder(delay=SLOW_DELAY)


# Marks in an article's text. The token after "once" names the mark the first kill
# leaves in the temporary folder; a test uses a fresh token, so every test run kills once.
KILL_ONCE = re.compile(r"\[kill the worker once ([0-9a-f]{8,64})\]")
KILL_ALWAYS = "[kill every worker]"


class CrashingKeywordCoder(KeywordCoder):
    """:class:`KeywordCoder` that kills its own process on marked articles (see the module)."""

    def __call__(self, document: Document) -> Document:
        text = document.text
        once = KILL_ONCE.search(text)
        if KILL_ALWAYS in text or (once and self._first_time(once.group(1))):
            os.kill(os.getpid(), signal.SIGKILL)
        return super().__call__(document)

    @staticmethod
    def _first_time(token: str) -> bool:
        mark = Path(tempfile.gettempdir()) / f"wirecoder-killed-once-{token}"
        try:  # created exclusively: of all the processes, exactly one gets it
            os.close(os.open(mark, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return False
        return True


@registry.stages.register("testing.keywords.crashing")
def crashing_keyword_stage(settings: Settings) -> CrashingKeywordCoder:
    return CrashingKeywordCoder()
