"""Language data lives in the language pack (``data/lang/<code>/*.toml``), not in the
stages' code: a language is added by writing its pack, not by editing the stages."""

from __future__ import annotations

import ast
import json
import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest
from spacy.glossary import GLOSSARY

from wirecoder.lang import language_pack

STAGES = Path(__file__).resolve().parent.parent / "src" / "wirecoder" / "stages"
_WORD = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)*")


def _not_language() -> frozenset[str]:
    """Strings made of letters that are names, not words of a language."""
    codebook = json.loads(resources.files("wirecoder").joinpath("data/codebook/acled.json").read_text())
    codes = {c["code"] for c in codebook["non_political"]} | {s["code"] for s in codebook["subtypes"]}
    formats = {
        # RSS 2.0, RSS 1.0 and Atom element names, and XML's predefined entities
        "rss", "feed", "RDF", "item", "entry", "channel", "published", "pubDate", "date", "issued",
        "created", "updated", "modified", "encoded", "content", "description", "summary", "amp", "lt",
        "gt", "quot", "apos",
        # HTML element names
        "p", "li", "blockquote", "pre", "br", "figcaption", "aside", "nav", "footer", "article", "main",
        "body", "html",
        # our own labels: gazetteer record kinds, kinds of line of a plain-text dump
        "country", "city", "quarter", "region", "caption", "widget", "repeat", "text", "headline",
    }
    # spaCy's labels (dependencies, parts of speech, entities) and the codebook's codes
    return frozenset(GLOSSARY) | codes | formats


def _word_lists(path: Path, not_language: frozenset[str]) -> list[str]:
    """List, tuple and set literals of ``path`` holding three or more words."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names_only: set[int] = set()  # __all__ and __slots__ hold identifiers
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in ("__all__", "__slots__")
                                                for t in node.targets):
            names_only.add(id(node.value))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.List, ast.Tuple, ast.Set)) or id(node) in names_only:
            continue
        words = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
                 and _WORD.fullmatch(e.value.strip()) and e.value.strip() not in not_language]
        if len(words) >= 3:
            found.append(f"{path.relative_to(STAGES)}:{node.lineno}: {words[:5]}")
    return found


@pytest.mark.parametrize("part", [
    "code",  # trigger-sense, weapon-supply and modality words -> data/lang/en/code.toml
    "geoparse",  # place-kind words, titles, naming words -> geoparse.toml
    "extract",  # credits, bylines, boilerplate, dates -> extract.toml and calendar.toml
    "nlp.py",  # the parser: no words of its own
    "attribute_lookup.py",  # the parse's attribute rules: read from the spaCy model, none of ours
])
def test_stages_hold_no_english_word_list(part: str) -> None:
    root = STAGES / part
    files = [root] if root.is_file() else sorted(root.rglob("*.py"))
    assert files
    not_language = _not_language()
    found = [hit for path in files for hit in _word_lists(path, not_language)]
    assert not found, "word lists belong in the language pack (data/lang/en/):\n" + "\n".join(found)


# -- resolve/ and consolidate.py -------------------------------------------------------
_RESOLVE_TABLES = ["resolve", "resolve_roles", "resolve_actors", "resolve_locate", "resolve_dates",
                   "resolve_fatalities", "resolve_notes"]


def _names_of_ours() -> frozenset[str]:
    """Strings made of letters that resolve/ and consolidate.py hold as names, not words:
    the fields of our records (``requires = ("doc", "places", "events")``), the ACLED and
    PLOVER type names of the codebook, and the kinds of the actor dictionary."""
    import dataclasses

    from wirecoder import records

    fields = {f.name for cls in vars(records).values()
              if isinstance(cls, type) and dataclasses.is_dataclass(cls) for f in dataclasses.fields(cls)}
    package = resources.files("wirecoder")
    codebook = json.loads(package.joinpath("data/codebook/acled.json").read_text(encoding="utf-8"))
    types = {s[k] for s in codebook["subtypes"] for k in ("disorder_type", "event_type", "sub_event_type", "plover")}
    kinds = {json.loads(line).get("kind") for line in package.joinpath("data/actors.jsonl").read_text(encoding="utf-8")
             .splitlines() if line.strip() and not line.startswith("#")}
    return frozenset(n for n in fields | types | kinds if isinstance(n, str))


@pytest.mark.parametrize("part", [
    "resolve",  # roles, actors, places, dates, tolls, notes -> data/lang/en/resolve*.toml
    "consolidate.py",  # merging the mentions of one happening: no words of its own
    "dedup.py",  # merging reports across articles: compares record fields, reads no words
])
def test_resolve_holds_no_english_word_list(part: str) -> None:
    root = STAGES / part
    files = [root] if root.is_file() else sorted(root.rglob("*.py"))
    assert files
    not_language = _not_language() | _names_of_ours()
    found = [hit for path in files for hit in _word_lists(path, not_language)]
    assert not found, "word lists belong in the language pack (data/lang/en/):\n" + "\n".join(found)


@pytest.mark.parametrize("table", ["calendar", "code", "geoparse", "extract", *_RESOLVE_TABLES])
def test_language_tables_say_what_each_key_is_for(table: str) -> None:
    pack = language_pack("en")
    text = (pack.folder / f"{table}.toml").read_text(encoding="utf-8")
    keys = tomllib.loads(text)
    assert keys == pack.table(table)
    lines = text.splitlines()
    for key in keys:
        # a key, a [table] or the first [[array of tables]]; a comment may sit above a
        # run of keys that share it ("admin2_words" right under "admin1_words"): walk up
        # over them, not over a blank line
        j = next(i for i, line in enumerate(lines) if line.startswith((f"{key} =", f"[{key}]", f"[[{key}]]"))) - 1
        while j >= 0 and lines[j].strip() and not lines[j].startswith("#"):
            j -= 1
        assert j >= 0 and lines[j].startswith("#"), f"{table}.toml: no comment says what {key!r} is for"


@pytest.mark.parametrize("table", [t for t in _RESOLVE_TABLES if t != "resolve_notes"])
def test_resolve_words_are_lower_case(table: str) -> None:
    # resolve compares these words with lower-cased tokens and lemmas: a capital letter in
    # the pack would never match, silently (the trigger table's keys are ACLED's event
    # types, names; the date patterns are matched ignoring case)
    data = language_pack("en").table(table)
    words: list[str] = []
    for key, value in data.items():
        if key == "triggers":
            words += [word for group in value.values() for word in group]
        elif isinstance(value, dict):
            words += list(value)  # word -> number
        elif isinstance(value, list) and key != "patterns":
            words += value
    assert words
    assert [w for w in words if w != w.lower()] == []


def test_every_part_of_stages_is_checked() -> None:
    """A new stage module or package cannot escape the no-word-list rule."""
    checked = {"code", "geoparse", "extract", "nlp.py", "attribute_lookup.py", "dedup.py", "resolve", "consolidate.py", "__init__.py"}
    present = {p.name for p in STAGES.iterdir() if p.suffix == ".py" or (p.is_dir() and p.name != "__pycache__")}
    assert present <= checked, present - checked
