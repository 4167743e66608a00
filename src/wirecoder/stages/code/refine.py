"""ACLED's defining rules, applied after the classifier where a sub-type depends on WHO
acts or on HOW a demonstration went, which bag-of-words models confuse:

- territory taken by state forces is *Government regains territory*, by anyone else
  *Non-state actor overtakes territory*;
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


def _acting_side(tokens: Sequence[Any], state: Sequence[str], nonstate: Sequence[str]) -> str | None:
    """'state' or 'nonstate' from the subject (or passive agent) of the clause, else
    from the first actor word in it."""
    subjects = [t for t in tokens if t.dep_ in ("nsubj", "agent", "pobj") and (t.dep_ != "pobj" or t.head.dep_ == "agent")]
    for group in (subjects, list(tokens)):
        for token in group:
            words = {w.lemma_.lower() for w in (token.subtree if token in subjects else [token])}
            if words & set(state):
                return "state"
            if words & set(nonstate):
                return "nonstate"
    return None


def refine(code: str, tokens: Sequence[Any], lists: dict[str, list[str]]) -> str:
    """The sub-type code after ACLED's rules; ``tokens`` are the mention's clause."""
    if code not in TERRITORY and code not in PROTESTS:
        return code
    lemmas = {t.lemma_.lower() for t in tokens}
    text = " ".join(t.lower_ for t in tokens)
    if code in TERRITORY:
        side = _acting_side(tokens, lists["state_actors"], lists["nonstate_actors"])
        if side == "state":
            return "gov_regains"
        if side == "nonstate":
            return "nsa_overtakes"
        return code
    if _has(lemmas, text, lists["lethal_force"]) and _has(lemmas, text, lists["state_actors"]):
        return "excessive_force"
    if _has(lemmas, text, lists["protester_violence"]):
        return "violent_demo"
    if _has(lemmas, text, lists["intervention"]):
        return "protest_intervention"
    return code if code != "excessive_force" else "protest_intervention"
