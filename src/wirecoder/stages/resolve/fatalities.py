"""How many died, how many were hurt: ACLED's rules (``../shared/SPEC.md``), our wording.

* Reported deaths only; injuries are counted apart and never added to deaths.
  "Casualties" mixes the dead and the wounded, so it counts as neither.
* Number words and digits: "four", "twenty-one", "1,200", "a dozen".
* Vague quantities take the smallest number the word can mean: "dozens" 12, "tens" 10,
  "hundreds" 100, "scores" 20 (two score), "thousands" 1000, "several"/"a few" 3,
  "a couple" 2. Bounds keep their number: "at least four" 4, "more than 30" 30.
* Several figures for the same dead in one sentence ("five, according to police; local
  sources said eight") -> the most conservative, the smallest. Figures listed together
  for different victims ("three soldiers and two civilians were killed") are added.
* A party's claim about its enemy's losses alone ("the army said it killed 30 militants")
  counts 0: the one who claims is also the one who killed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ...lang import language_pack

# The English words and patterns live in data/lang/en/resolve_fatalities.toml (what
# each list is for is written there); the rules that read them stay here.
_EN = language_pack("en")
_TABLE = "resolve_fatalities"

_UNITS: dict[str, int] = _EN.mapping(_TABLE, "units")
_TENS: dict[str, int] = _EN.mapping(_TABLE, "tens")
_MULTIPLIERS: dict[str, int] = _EN.mapping(_TABLE, "multipliers")
VAGUE: dict[str, int] = _EN.mapping(_TABLE, "vague")
_ARTICLES = _EN.words(_TABLE, "indefinite_articles")
_ARTICLE_QUANTITIES = _EN.words(_TABLE, "article_quantities")
_NUMBER_DETERMINERS = _EN.words(_TABLE, "number_determiners")
_NOBODY = _EN.sequence(_TABLE, "nobody")
_SUBTREE_NUMBER_WORDS = frozenset({"-"}) | frozenset(_MULTIPLIERS) | _EN.words(_TABLE, "number_nouns")
_FILLERS = re.compile(r"\b(?:" + "|".join(map(re.escape, _EN.sequence(_TABLE, "number_fillers"))) + r")\b")

_BOUNDS = _EN.words(_TABLE, "bounds")
_DEATH = _EN.words(_TABLE, "death_words")
_LIVES = _EN.words(_TABLE, "lives")
_INJURY = _EN.words(_TABLE, "injury_words")
_KILLING_BEFORE = _EN.words(_TABLE, "killing_before")
_INJURING_BEFORE = _EN.words(_TABLE, "injuring_before")
_LEAVING = _EN.words(_TABLE, "leaving")
_LEFT_INJURED = _EN.words(_TABLE, "left_injured")
_TOLL_LINKS = _EN.words(_TABLE, "toll_links")
_CLAUSE_STOP = _EN.words(_TABLE, "clause_stop")
_VERBISH = _EN.words(_TABLE, "verbish")
_LIST_JOINERS = _EN.words(_TABLE, "list_joiners")
_REFLEXIVES = _EN.words(_TABLE, "reflexives")
_SINGULAR_REFLEXIVES = _EN.words(_TABLE, "singular_reflexives")
_TOKEN = re.compile(_EN.value(_TABLE, "token_pattern"))
_LISTED_BETWEEN = re.compile(_EN.value(_TABLE, "listed_between"))
_RIVAL_COUNTS = re.compile(r"\b(?:" + "|".join(map(re.escape, _EN.sequence(_TABLE, "rival_counts"))) + r")\b")


def parse_number(text: str) -> int | None:
    """``"twenty-one"`` -> 21, ``"1,200"`` -> 1200, ``"dozens of"`` -> 12; None if none."""
    words = _FILLERS.sub(" ", text.lower()).replace("-", " ").replace(",", "").split()
    if not words:
        return 1 if text.strip().lower() in _ARTICLES else None
    if words[0].isdigit():
        return int(words[0])
    if words[0] in VAGUE:
        return VAGUE[words[0]]
    total, current = 0, 0
    for word in words:
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word in _MULTIPLIERS and _MULTIPLIERS[word] < 1000:  # "three hundred"
            current = max(current, 1) * _MULTIPLIERS[word]
        elif word in _MULTIPLIERS:  # "two thousand": a group closed
            total += max(current, 1) * _MULTIPLIERS[word]
            current = 0
        else:
            return None
    return total + current


@dataclass(slots=True)
class Figure:
    """One number in a sentence: a death or injury figure and where it stands."""

    value: int
    kind: str  # "deaths" | "injuries"
    start: int
    end: int


@dataclass(slots=True)
class Casualties:
    deaths: int | None = None  # None: no figure in the sentence
    injuries: int | None = None
    figures: list[Figure] = field(default_factory=list)
    enemy_claim: bool = False


def _number_at(words: list[str], i: int) -> tuple[int, int] | None:
    """``(value, next index)`` when a number starts at ``words[i]``."""
    word = words[i]
    if word.replace(",", "").isdigit():
        value = int(word.replace(",", ""))
        # A year or a clock time is not a head count.
        if 1900 <= value <= 2100 and "," not in word:
            return None
        return value, i + 1
    if word in _ARTICLES:
        if i + 1 < len(words) and words[i + 1] in _ARTICLE_QUANTITIES:
            return VAGUE[words[i + 1]], i + 2 + (i + 2 < len(words) and words[i + 2] == "of")
        return None
    if word in VAGUE:
        return VAGUE[word], i + 1 + (i + 1 < len(words) and words[i + 1] == "of")
    if tuple(words[i:i + len(_NOBODY)]) == _NOBODY:
        return 0, i + len(_NOBODY)  # "no one was hurt"
    if word not in _UNITS and word not in _TENS or word in _NUMBER_DETERMINERS:
        return None
    j = i
    parts: list[str] = []
    while j < len(words) and (words[j] in _UNITS or words[j] in _TENS or words[j] in _MULTIPLIERS or words[j] == "-"):
        if words[j] in _NUMBER_DETERMINERS:
            break
        parts.append(words[j])
        j += 1
    value = parse_number(" ".join(p for p in parts if p != "-"))
    return (value, j) if value is not None else None


def find_figures(sentence: str) -> list[Figure]:
    """Every death or injury figure in a sentence, left to right.

    A number counts when a death or injury word follows it within its clause ("four
    soldiers were killed", "12 dead") or a killing verb stands just before it ("killing
    12 people", "left 7 dead", "the toll rose to 21").
    """
    tokens = list(_TOKEN.finditer(sentence))
    words = [t.group(0).lower() for t in tokens]
    figures: list[Figure] = []
    pending: list[Figure] = []  # numbers listed before the one that meets the verb
    i = 0
    while i < len(words):
        found = _number_at(words, i)
        if found is None:
            i += 1
            continue
        value, after = found
        start, end = tokens[i].start(), tokens[after - 1].end()
        kind = _kind_before(words, i)
        if kind is None:
            kind, listed = _kind_after(words, after)
            if kind is None and listed:
                pending.append(Figure(value, "", start, end))
                i = after
                continue
        if kind is not None:
            for figure in pending:
                figure.kind = kind
                figures.append(figure)
            k = i - 1
            while k >= 0 and words[k] in _BOUNDS:
                k -= 1
            if kind == "deaths" and k >= 1 and words[k] == "and" and words[k - 1] in _SINGULAR_REFLEXIVES:
                value += 1  # the attacker's own death is a reported death too
            figures.append(Figure(value, kind, start, end))
        pending = []
        i = after
    return figures


def _kind_before(words: list[str], i: int) -> str | None:
    j = i - 1
    while j >= 0 and (words[j] in _BOUNDS or words[j] == "to" and j > 0 and words[j - 1] == "up"):
        j -= 1
    # "killed himself and 25 worshippers": look past the attacker's own death.
    if j >= 2 and words[j] == "and" and words[j - 1] in _REFLEXIVES:
        j -= 2
    if j < 0:
        return None
    if words[j] in _KILLING_BEFORE:
        return "deaths"
    if words[j] in _INJURING_BEFORE:
        return "injuries"
    if words[j] in _LEAVING:
        for word in words[i + 1:i + 5]:
            if word == "dead":
                return "deaths"
            if word in _LEFT_INJURED:
                return "injuries"
        return None
    # "the death toll rose to 21", "the toll stood at 9"
    if "toll" in words[max(0, j - 4):j + 1] and words[j] in _TOLL_LINKS:
        return "deaths"
    return None


def _kind_after(words: list[str], after: int) -> tuple[str | None, bool]:
    """The kind of figure a number is, from the words after it; ``listed`` is True when
    another number follows in the same list ("three soldiers and two civilians")."""
    for j in range(after, min(len(words), after + 8)):
        word = words[j]
        if word in _CLAUSE_STOP:
            return None, False
        if word in _DEATH:
            if word in _LIVES and "lost" not in words[after:j]:
                continue
            return "deaths", False
        if word in _INJURY:
            return "injuries", False
        if word == "casualties":
            return None, False
        if j > after and _number_at(words, j) is not None:
            between = words[after:j]
            # "three soldiers and two civilians" lists victims; "354 passengers were freed,
            # 37 of whom were injured" does not: a verb stands between the numbers.
            verb_between = any(w in _VERBISH or (w.endswith("ed") and len(w) > 4) for w in between)
            listed = not verb_between and (words[j - 1] in _LIST_JOINERS or (j >= 2 and words[j - 2] in _LIST_JOINERS))
            return None, listed
    return None, False


def _combine(sentence: str, figures: list[Figure]) -> int | None:
    """Figures joined by a bare "and"/"," are different victims (added); otherwise they
    are rival counts of the same dead (the smallest wins)."""
    if not figures:
        return None
    groups: list[list[Figure]] = [[figures[0]]]
    for previous, figure in zip(figures, figures[1:]):
        between = sentence[previous.end:figure.start].lower()
        listed = _LISTED_BETWEEN.fullmatch(between) is not None and not _RIVAL_COUNTS.search(between)
        if listed:
            groups[-1].append(figure)
        else:
            groups.append([figure])
    return min(sum(f.value for f in group) for group in groups)


# -- deaths read from the parse ---------------------------------------------------------
# A toll is the count of a death word's own victims: the object of "killed", the subject
# of "died" or "were killed", the noun "killed" describes ("12 people killed"), the
# number of "deaths". The victims' noun phrase gives the count: its number ("three
# soldiers"), its article ("a militant", "the mayor": one person), a named person (one),
# its coordinated members ("a teacher, a soldier and a passer-by": three, "12 rebels and
# 3 soldiers": fifteen). A number that counts days, places or things is never a toll.
_KILL_LEMMAS = _EN.words(_TABLE, "kill_lemmas")
_DEATH_NOUNS = _EN.words(_TABLE, "death_nouns")
_NOT_PEOPLE = _EN.words(_TABLE, "not_people")
_SINGULAR_DETERMINERS = _EN.words(_TABLE, "singular_determiners")


def _np_count(token: Any) -> int | None:
    """How many people the noun phrase headed by ``token`` names; None if it names no
    countable people."""
    total: int | None = None
    for member in [token, *_conjuncts(token)]:
        count = _member_count(member)
        if count is not None:
            total = (total or 0) + count
    return total


def _conjuncts(token: Any) -> list[Any]:
    found = []
    for child in token.children:
        if child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
            found.append(child)
            found.extend(_conjuncts(child))
    return found


def _member_count(token: Any) -> int | None:
    lemma = token.lemma_.lower()
    if token.pos_ == "NUM" or token.like_num:  # "three were killed", "killing 12"
        return _number_of(token)
    if lemma in _NOT_PEOPLE or token.ent_type_ in ("DATE", "TIME", "GPE", "LOC", "FAC", "MONEY", "PERCENT"):
        return None
    if lemma in VAGUE or token.lower_ in VAGUE:  # "dozens of civilians"
        return VAGUE.get(token.lower_, VAGUE.get(lemma))
    for child in token.children:
        if child.dep_ == "nummod" or (child.dep_ in ("amod", "quantmod") and child.like_num):
            return _number_of(child)
        if child.dep_ in ("amod", "det") and child.lower_ in VAGUE:
            return VAGUE[child.lower_]
    if token.pos_ == "PRON":
        return None  # "killed him": one, but whose? the antecedent may be counted already
    if token.pos_ == "PROPN" and token.ent_type_ == "PERSON":
        return 1
    if token.tag_ in ("NN", "NNP") and any((c.dep_ == "det" and c.lower_ in _SINGULAR_DETERMINERS)
                                           or c.dep_ == "poss" for c in token.children):
        return 1  # "a militant", "the mayor", "his driver"
    return None


def _number_of(token: Any) -> int | None:
    text = " ".join(t.text for t in token.subtree if t.like_num or t.lower_ in _SUBTREE_NUMBER_WORDS)
    value = parse_number(text or token.text)
    if value is None or (1900 <= value <= 2100 and "," not in token.text):
        return None
    return value


def _victims(token: Any) -> Any | None:
    """The noun phrase of the victims of one death word, or None."""
    lemma, lower = token.lemma_.lower(), token.lower_
    children = {c.dep_: c for c in token.children}
    gunned_down = lemma == "gun" and any(c.dep_ == "prt" and c.lower_ == "down" for c in token.children)
    if (lemma in _KILL_LEMMAS or gunned_down) and token.pos_ in ("VERB", "AUX"):
        if "nsubjpass" in children:
            return children["nsubjpass"]
        if "dobj" in children:
            return children["dobj"]
        if token.dep_ == "acl" and token.tag_ == "VBN":  # "12 people killed in the raid"
            return token.head
        return None
    if lemma == "die" and "nsubj" in children:
        return children["nsubj"]
    if lower == "dead" and token.dep_ in ("oprd", "acomp", "ccomp", "xcomp", "advcl", "advmod", "conj", "ROOT"):
        head = token.head
        # "leaving 12 rebels and 3 soldiers dead", "three were dead"
        # "shot dead a journalist", "leaving 12 rebels dead": the object; "was shot dead",
        # "three were dead": the subject
        for deps in (("dobj",), ("nsubjpass",), () if head.lemma_.lower() == "leave" else ("nsubj",)):
            found = [c for c in head.children if c.dep_ in deps]
            if found:
                return found[0]
        return None
    if lemma in _DEATH_NOUNS and token.pos_ == "NOUN":
        return token if any(c.dep_ == "nummod" for c in token.children) else None
    return None


def victim_heads(span: Any) -> set[int]:
    """Token indices of the nouns of every victims' noun phrase in a parsed sentence
    ("one of the group's leaders", "three soldiers and two villagers")."""
    heads: set[int] = set()
    for token in span:
        victims = _victims(token)
        if victims is not None and not any(c.dep_ == "neg" for c in token.children):
            heads.update(t.i for t in victims.subtree if t.pos_ in ("NOUN", "PROPN", "NUM", "PRON"))
    return heads


def _source_of(token: Any) -> int | None:
    """The reporting verb a death word's clause hangs from ("police said ..."), if any."""
    while token.head.i != token.i:
        token = token.head
        if token.lemma_.lower() in _CLAIM_VERBS or token.lower_ == "according":
            return token.i
    return None


def parse_deaths(span: Any) -> int | None:
    """Deaths a parsed sentence reports, read through the parse; None when no death
    word has countable victims (the caller then reads the words alone). Victims of one
    source's clause add up; counts given by different sources ("police said five died,
    but hospital sources said eight were killed") are rivals: the smallest wins."""
    counted: set[int] = set()
    by_source: dict[int | None, int] = {}
    for token in span:
        victims = _victims(token)
        if victims is None or victims.i in counted:
            continue
        if token.dep_ == "amod" or any(c.dep_ == "neg" for c in token.children):
            continue  # "the killed man" is told by another word; "were not killed"
        count = _np_count(victims)
        if count is None:
            continue
        counted.add(victims.i)
        source = _source_of(token)
        by_source[source] = by_source.get(source, 0) + count
    return min(by_source.values()) if by_source else None


_SUBSET = re.compile(_EN.value(_TABLE, "subset_pattern"), re.I)


def count_casualties(sentence: str, span: Any = None) -> Casualties:
    """Deaths and injuries a sentence reports. ``span`` (a spaCy span of the sentence,
    optional) binds each toll to its death word through the parse and lets us recognise
    a party's claim about its enemy's losses."""
    figures = find_figures(sentence)
    deaths = _combine(sentence, [f for f in figures if f.kind == "deaths"])
    parsed = parse_deaths(span) if span is not None else None
    if parsed is not None:
        deaths = parsed
    if deaths and _SUBSET.search(sentence):
        deaths = 0  # "two policemen were among those killed": part of a toll told already
    injuries = _combine(sentence, [f for f in figures if f.kind == "injuries"])
    result = Casualties(deaths=deaths, injuries=injuries, figures=figures)
    if deaths and span is not None and is_enemy_loss_claim(span):
        result.enemy_claim = True
        result.deaths = 0
        result.injuries = None  # the same claim about the enemy's wounded is no better
    return result


_CLAIM_VERBS = _EN.words(_TABLE, "claim_verbs")
_KILL_VERBS = _EN.words(_TABLE, "kill_verbs")
_SELF_PRONOUNS = _EN.words(_TABLE, "self_pronouns")


def _subject(token: Any) -> Any | None:
    for child in token.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
    # "claimed to have killed": the subject sits on the governing verb.
    if token.dep_ in ("xcomp", "conj") and token.head.i != token.i:
        return _subject(token.head)
    return None


def is_enemy_loss_claim(span: Any) -> bool:
    """True when the sentence's killer is also the one who says so: "The army said it
    killed 30 militants", "Rebels claimed to have killed dozens of soldiers"."""
    for token in span:
        if token.lemma_.lower() not in _KILL_VERBS or token.tag_ == "VBN" and any(
            c.dep_ == "auxpass" for c in token.children
        ):
            continue
        killer = _subject(token)
        if killer is None:
            continue
        # Walk up to the reporting verb that governs the killing.
        head = token
        while head.head.i != head.i and head.lemma_.lower() not in _CLAIM_VERBS:
            head = head.head
        if head.lemma_.lower() not in _CLAIM_VERBS or head.i == token.i:
            continue
        claimant = _subject(head)
        if claimant is None:
            continue
        if killer.i == claimant.i or any(t.lower_ in _SELF_PRONOUNS for t in killer.subtree):
            return True
        killer_words = {t.lower_ for t in killer.subtree if t.is_alpha and not t.is_stop}
        claimant_words = {t.lower_ for t in claimant.subtree if t.is_alpha and not t.is_stop}
        if killer_words & claimant_words:
            return True
    return False


def split_evenly(total: int, parts: int) -> list[int]:
    """ACLED splits a toll given for several places evenly; the remainder goes to the
    first places so the parts still add up: 5 over 2 -> [3, 2]."""
    if parts <= 0:
        return []
    base, remainder = divmod(total, parts)
    return [base + (1 if i < remainder else 0) for i in range(parts)]
