"""ACLED's defining rules, applied after the classifier where a sub-type depends on WHO
acts or on HOW a demonstration went, which bag-of-words models confuse:

- territory taken by state forces is *Government regains territory*, by anyone else
  *Non-state actor overtakes territory*;
- missiles or rockets fired from aircraft ("jets fired missiles at ...") are an
  *Air/drone strike*, not *Shelling/artillery/missile attack* (ACLED types by platform);
- a demonstration with violence by the demonstrators is a *Violent demonstration*; one
  where security forces kill or shoot protesters is *Excessive force against
  protesters*; one broken up, tear-gassed or arrested is *Protest with intervention*.

Word lists are in ``data/codebook/refine.json``.
"""

from __future__ import annotations

from typing import Any, Sequence

TERRITORY = ("gov_regains", "nsa_overtakes")
PROTESTS = ("peaceful_protest", "protest_intervention", "excessive_force", "violent_demo")


def _has(lemmas: set[str], text: str, words: Sequence[str]) -> bool:
    return any((w in text) if " " in w else (w in lemmas) for w in words)


def _mentions(words: set[str], text: str, names: Sequence[str]) -> bool:
    return any((f" {n} " in f" {text} ") if " " in n else (n in words) for n in names)


def _acting_side(tokens: Sequence[Any], state: Sequence[str], nonstate: Sequence[str]) -> str | None:
    """'state' or 'nonstate': who TAKES the territory. From the active subject (or the
    passive agent) of the clause; a passive subject is the side that LOST it ("the
    militants were driven out of X" is a gain for the state); else the first actor word."""
    for token in tokens:
        if token.dep_ not in ("nsubj", "nsubjpass", "agent"):
            continue
        words = {w.lemma_.lower() for w in token.subtree} | {w.lower_ for w in token.subtree}
        text = " ".join(w.lower_ for w in token.subtree)
        side = "state" if _mentions(words, text, state) else "nonstate" if _mentions(words, text, nonstate) else None
        if side is None:
            continue
        if token.dep_ == "nsubjpass":
            return "nonstate" if side == "state" else "state"
        return side
    for token in tokens:
        word = token.lemma_.lower()
        if word in state:
            return "state"
        if word in nonstate:
            return "nonstate"
    return None


def refine(code: str, tokens: Sequence[Any], lists: dict[str, list[str]], sentence: Sequence[Any] | None = None) -> str:
    """The sub-type code after ACLED's rules; ``tokens`` are the mention's clause and
    ``sentence`` the whole sentence (how a demonstration went is often told in another
    clause of it: "protesters marched ..., and police fired tear gas")."""
    lemmas = {t.lemma_.lower() for t in tokens}
    text = " ".join(t.lower_ for t in tokens)
    scope = sentence if sentence is not None else tokens
    scope_lemmas = {t.lemma_.lower() for t in scope}
    if code == "armed_clash" and _has(scope_lemmas, " ".join(t.lower_ for t in scope), lists["demonstrators"]):
        # ACLED: clashes between demonstrators and police are a demonstration, not a battle
        code = "violent_demo"
    if code == "shelling" and _has(scope_lemmas, " ".join(t.lower_ for t in scope), lists.get("aircraft", [])):
        return "air_strike"
    if code not in TERRITORY and code not in PROTESTS:
        return code
    if code in TERRITORY:
        side = _acting_side(tokens, lists["state_actors"], lists["nonstate_actors"])
        if side == "state":
            return "gov_regains"
        if side == "nonstate":
            return "nsa_overtakes"
        return code
    scope = sentence if sentence is not None else tokens
    lemmas = {t.lemma_.lower() for t in scope}
    text = " ".join(t.lower_ for t in scope)
    # demonstrators said to be peaceful were not the violent side, whatever else happened
    strong = _has(lemmas, text, lists["protester_violence_strong"]) and "peaceful" not in lemmas
    if _has(lemmas, text, lists["lethal_force"]) and _has(lemmas, text, lists["state_actors"]) and not strong:
        return "excessive_force"
    if strong or _has(lemmas, text, lists["protester_violence"]):
        return "violent_demo"
    if _has(lemmas, text, lists["intervention"]):
        return "protest_intervention"
    return code if code != "excessive_force" else "protest_intervention"
