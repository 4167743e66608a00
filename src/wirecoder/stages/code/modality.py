"""Is an event mention happening now? ``asserted`` / ``claimed`` (with ``attribution``) /
``denied`` / ``historical`` / ``future`` / ``hypothetical``.

The cues come from ``data/codebook/modality.json``. From the mention's anchor token the
coder walks up the dependency tree, clause by clause, and the NEAREST cue decides: in
"fighting escalated this week after the collapse of a plan meant to avert an offensive",
*offensive* meets "avert" (hypothetical) before anything else, while *fighting* meets
"this week" (current). Time anchors ("in 2018", "a decade ago", "on Tuesday") are
attached to the word they modify; an anchor counts for a mention when it modifies the
anchor itself, a word above it, or a clause hanging from the anchor ("protests that broke
out a decade ago").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ...lang import language_pack

YEAR = re.compile(r"^(1[89]\d\d|20\d\d)s?$")
# The words are the language pack's (data/lang/en/code.toml and calendar.toml say what
# each list is for).
_EN = language_pack("en")
RECENT_SPAN = _EN.value("code", "recent_span")
MONTHS = {name: n for n, names in enumerate(_EN.sequence("calendar", "months"), start=1) for name in names}
TIME_NOUNS = _EN.words("code", "time_nouns")
YEAR_PREPS = _EN.sequence("code", "year_preps")
# Verbs whose infinitive complement did happen ("began to fight").
IMPLICATIVE = _EN.words("code", "implicative_verbs")
NOUN_LINKS = frozenset({"prep", "pobj", "relcl", "acl", "compound", "amod"})
PREVENTION_WITH_FROM = _EN.words("code", "prevention_with_from")
# An agreement that is only worked towards is no agreement yet ("talks on a ceasefire deal").
AGREEMENT_NOUNS = _EN.words("code", "agreement_nouns")
TOWARDS_PREPS = _EN.words("code", "towards_preps")
NEGOTIATION_WORDS = _EN.words("code", "negotiation_words")
PROPOSAL_ADJS = _EN.words("code", "proposal_adjectives")
WITHIN_PREPS = _EN.sequence("code", "within_preps")
WITHIN_NOUNS = _EN.sequence("code", "within_nouns")
PRONOUN_SUBJECTS = _EN.sequence("code", "pronoun_subjects")
TERRITORY_VERBS = _EN.sequence("code", "territory_verbs")
NEGATIVE_DETERMINERS = _EN.sequence("code", "negative_determiners")
CONDITIONAL_MARKS = _EN.sequence("code", "conditional_marks")


def only_proposed(token: Any) -> str | None:
    """The word that makes an agreement noun a deal still being sought, or None.

    "talks on a ceasefire deal", "much remains to be done on a deal", "close to a truce",
    "a proposed truce", "a deal is within reach". A compound ("ceasefire deal") is judged
    by the noun it qualifies. "signed a deal" or "the deal reached on Monday" fall through."""
    node = token
    while node.dep_ == "compound" and node.head.i != node.i:
        node = node.head
    if node.lemma_.lower() not in AGREEMENT_NOUNS or node.pos_ not in ("NOUN", "PROPN"):
        return None
    for child in node.children:
        if child.dep_ in ("amod", "compound") and child.lower_ in PROPOSAL_ADJS:
            return child.text
    if node.dep_ == "pobj" and node.head.lower_ in TOWARDS_PREPS:
        governor = node.head.head
        if governor.lemma_.lower() in NEGOTIATION_WORDS or governor.lower_ in NEGOTIATION_WORDS:
            return governor.text
    if node.dep_ in ("nsubj", "nsubjpass"):
        # "a deal is within reach", "a truce is in sight"
        for prep in node.head.children:
            if prep.dep_ == "prep" and prep.lower_ in WITHIN_PREPS:
                if any(p.lemma_.lower() in WITHIN_NOUNS for p in prep.children if p.dep_ == "pobj"):
                    return prep.text
    return None


@dataclass(frozen=True, slots=True)
class Judgement:
    modality: str
    attribution: str | None = None
    cue: str | None = None  # the word that decided, for explanations and tests


class ModalityCues:
    def __init__(self, cues: dict[str, list[str]]) -> None:
        get = lambda key: frozenset(w.lower() for w in cues.get(key, []))  # noqa: E731
        self.negation = get("negation_words")
        self.denial_verbs = get("denial_verbs")
        self.denial_nouns = get("denial_nouns")
        self.future_aux = get("future_aux")
        self.future_verbs = get("future_verbs")
        self.future_adjs = get("future_adjs")
        self.future_preps = [p.split() for p in cues.get("future_preps", [])]
        self.hyp_aux = get("hypothetical_aux")
        self.hyp_words = get("hypothetical_words")
        self.hyp_verbs = get("hypothetical_verbs")
        self.hist_words = get("historical_words")
        self.hist_phrases = [p.lower() for p in cues.get("historical_phrases", [])]
        self.background = [p.lower() for p in cues.get("background_phrases", [])]
        self.current = [p.lower() for p in cues.get("current_anchors", [])]
        self.reporting = get("reporting_verbs")
        self.source_phrases = [p.lower() for p in cues.get("source_phrases", [])]
        self.trend_verbs = get("trend_verbs")
        self.legal_verbs = get("legal_verbs")
        self.legal_nouns = get("legal_nouns")
        self.conflict_nouns = get("conflict_nouns")
        self.habitual = get("habitual_words")


def _attach(token: Any) -> Any:
    """The word a time expression modifies: climb over prepositions, numbers and time
    nouns to the first verb or content noun."""
    node = token
    for _ in range(8):
        if node.head.i == node.i:
            return node
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            return node
        if node.pos_ in ("NOUN", "PROPN") and node.lemma_.lower() not in TIME_NOUNS and not node.ent_type_ in ("DATE", "TIME"):
            return node
    return node


_ANCHOR_CACHE: dict[tuple[int, int, int, int | None, int | None], tuple[Any, dict[int, str]]] = {}


def _month_kind(token: Any, published_month: int | None) -> str | None:
    """'historical' for a bare month name other than the article's own, on a clause in the
    past tense: "In November, a cell was dismantled", "started in Doha last September".
    None when it says nothing: a day or a year is given ("March 12" may be this week; the
    year rule handles "May 2019"), or the clause is not in the past tense ("the arrest is
    related to interviews in November": the parse cannot tell what the month dates)."""
    month = MONTHS.get(token.lower_.rstrip("."))
    if month is None or published_month is None or token.ent_type_ != "DATE":
        return None
    if token.lower_ == "may" and token.pos_ != "PROPN":
        return None
    near = [t for t in token.doc[max(token.i - 1, 0):token.i + 3] if t.i != token.i]
    if any(t.like_num for t in near):
        return None
    last = token.i > 0 and token.doc[token.i - 1].lower_ == "last"
    if month == published_month and not last:
        return None
    verb = _attach(token)
    past = verb.tag_ == "VBD" or any(c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD" for c in verb.children)
    return "historical" if past else None


def _anchors(sent: Any, cues: ModalityCues, published_year: int | None,
             published_month: int | None = None) -> dict[int, str]:
    """Token index -> "historical" | "current" for the words time expressions modify.

    Cached per sentence: a sentence with several mentions is searched once (the regex
    scan over every cue phrase is the costly part of judging modality). The key holds
    the Doc's id and the Doc itself is kept beside the result, so a recycled id can
    never return another Doc's anchors; the cache is emptied when it grows large."""
    key = (id(sent.doc), sent.start, sent.end, published_year, published_month)
    hit = _ANCHOR_CACHE.get(key)
    if hit is not None and hit[0] is sent.doc:
        return hit[1]
    if len(_ANCHOR_CACHE) > 512:
        _ANCHOR_CACHE.clear()
    found = _find_anchors(sent, cues, published_year, published_month)
    _ANCHOR_CACHE[key] = (sent.doc, found)
    return found


def _find_anchors(sent: Any, cues: ModalityCues, published_year: int | None,
                  published_month: int | None = None) -> dict[int, str]:
    found: dict[int, str] = {}
    lower = sent.text.lower()
    base = sent.start_char

    def mark(char_index: int, kind: str) -> None:
        span = sent.doc.char_span(base + char_index, base + char_index + 1, alignment_mode="expand")
        if span is not None and len(span):
            found.setdefault(_attach(span[0]).i, kind)

    for t in sent:
        if t.lower_ == "ago":
            found.setdefault(_attach(t).i, "historical")
        elif YEAR.match(t.text) and (t.ent_type_ == "DATE" or t.head.lower_ in YEAR_PREPS):
            year = int(t.text[:4])
            if published_year is None or year < published_year:
                found.setdefault(_attach(t).i, "historical")
            elif year > published_year:
                found.setdefault(_attach(t).i, "future")
        elif (kind := _month_kind(t, published_month)) is not None:
            found.setdefault(_attach(t).i, kind)
    for phrase in cues.hist_phrases:
        # "in the past" is history, "in the past two days" is this week's news
        recent = RECENT_SPAN if phrase.endswith("past") else ""
        for m in re.finditer(r"\b" + re.escape(phrase) + r"\b" + recent, lower):
            mark(m.start(), "historical")
    for phrase in cues.current:
        for m in re.finditer(r"\b" + re.escape(phrase) + r"\b", lower):
            mark(m.start(), "current")
    return found


def _subject_text(verb: Any) -> str | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return "".join(t.text_with_ws for t in child.subtree).strip()
    return None


def _attribution(sent: Any, path: list[Any], cues: ModalityCues) -> str | None:
    for node in path[1:]:
        if node.lemma_.lower() in cues.reporting and node.pos_ in ("VERB", "AUX"):
            subject = _subject_text(node)
            if subject and subject.lower() not in PRONOUN_SUBJECTS:
                return subject
    lower = sent.text.lower()
    for phrase in cues.source_phrases:
        i = lower.find(phrase)
        if i >= 0:
            rest = sent.text[i + len(phrase):].strip(" ,.")
            return re.split(r"[,.;]", rest)[0].strip() or None
    return None


def _is_question(sent: Any) -> bool:
    return sent.text.rstrip(" \t\n\"'”’)").endswith("?")


def _then_titled(sent: Any) -> bool:
    """"then-president", "the then prime minister": the sentence looks back."""
    for t in sent:
        if t.lower_.startswith("then-") or (t.lower_ == "then" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].text == "-"):
            return True
        if t.lower_ == "then" and t.dep_ == "amod" and t.head.pos_ in ("NOUN", "PROPN"):
            return True
    return False


def _background_of_anchor(anchor: Any, cues: ModalityCues, anchors: dict[int, str]) -> str | None:
    """Why the trigger word itself describes a standing state or a habit rather than one
    event: "has been fighting an insurgency", "since the withdrawal", "fighters who fight
    to control villages" (simple present), "are detained there" (present passive)."""
    if anchors.get(anchor.i) == "current":
        return None
    if anchor.pos_ == "VERB":
        for child in anchor.children:
            if child.dep_ == "dobj" and (child.lemma_.lower() in cues.conflict_nouns
                                         or any(t.lemma_.lower() in cues.conflict_nouns for t in child.children
                                                if t.dep_ == "compound")):
                return child.text
        auxiliaries = [c for c in anchor.children if c.dep_ in ("aux", "auxpass")]
        if anchor.tag_ in ("VBZ", "VBP") and not auxiliaries and anchor.dep_ == "relcl":
            # "fighters who fight to control villages"; a main verb in the present is
            # often a headline or a caption ("Protesters chant slogans"), still news
            return "present"
        if anchor.tag_ == "VBN" and any(c.dep_ == "auxpass" and c.tag_ in ("VBZ", "VBP") for c in auxiliaries) \
                and not any(c.dep_ == "aux" for c in auxiliaries):
            return "present passive"
    if anchor.pos_ in ("NOUN", "PROPN") and anchor.dep_ == "pobj" and anchor.head.lower_ == "since":
        return "since"
    return None


def judge(anchor: Any, sent: Any, cues: ModalityCues, published_year: int | None = None,
          clause_text: str | None = None, published_month: int | None = None) -> Judgement:
    """The modality of the mention whose anchor token is ``anchor``."""
    anchors = _anchors(sent, cues, published_year, published_month)
    path = [anchor]
    while path[-1].head.i != path[-1].i and len(path) < 30:
        path.append(path[-1].head)
    attribution = _attribution(sent, path, cues)
    asserted = Judgement("claimed" if attribution else "asserted", attribution)
    if _is_question(sent):
        return Judgement("hypothetical", attribution, "?")  # a question asserts nothing
    if _then_titled(sent):
        return Judgement("historical", attribution, "then")

    # 0. the mention's own modifiers (and clauses hanging from a noun trigger)
    proposal = only_proposed(anchor)
    if proposal is not None:
        return Judgement("hypothetical", attribution, proposal)
    for child in anchor.children:
        lemma = child.lemma_.lower()
        if child.dep_ == "neg" or (lemma in NEGATIVE_DETERMINERS and child.dep_ == "det"):
            return Judgement("denied", attribution, child.text)
        if child.dep_ == "amod" and lemma in cues.future_adjs:
            return Judgement("future", attribution, child.text)
        if child.dep_ in ("amod", "advmod") and lemma in cues.hyp_words:
            return Judgement("hypothetical", attribution, child.text)
    if anchor.pos_ in ("NOUN", "PROPN"):
        # a clause describing the noun, within three arcs: "protests against X that broke
        # out a decade ago"; deeper clauses describe other things
        frontier = [(c, 1) for c in anchor.children if c.dep_ in NOUN_LINKS]
        while frontier:
            token, depth = frontier.pop()
            if token.dep_ in ("relcl", "acl") and anchors.get(token.i) == "historical":
                return Judgement("historical", attribution, token.text)
            if depth < 3:
                frontier.extend((c, depth + 1) for c in token.children if c.dep_ in NOUN_LINKS)
    cue = _background_of_anchor(anchor, cues, anchors)
    if cue is not None:
        return Judgement("historical", attribution, cue)
    text = (clause_text or sent.text).lower()
    if any(p in text for p in cues.background) and anchor.lemma_.lower() in TERRITORY_VERBS:
        return Judgement("historical", attribution, "background")

    previous = None
    for depth, node in enumerate(path):
        lemma = node.lemma_.lower()
        if depth > 0:
            # 1. a verb above the mention that denies, prevents, plans or fears it
            if lemma in cues.denial_verbs and node.pos_ == "VERB":
                return Judgement("denied", attribution, node.text)
            if lemma in cues.denial_nouns:
                return Judgement("denied", attribution, node.text)
            if previous is not None and previous.lower_ == "from" and lemma in PREVENTION_WITH_FROM:
                return Judgement("hypothetical", attribution, node.text)
            if lemma in cues.hyp_verbs and node.pos_ in ("VERB", "NOUN"):
                return Judgement("hypothetical", attribution, node.text)
            if lemma in cues.hyp_words and node.pos_ in ("NOUN", "ADJ"):
                return Judgement("hypothetical", attribution, node.text)
            if lemma in cues.hist_words and node.pos_ in ("NOUN", "ADJ"):
                return Judgement("historical", attribution, node.text)
            # acts named in a charge or a trial happened before it ("charged with kidnapping")
            if (lemma in cues.legal_verbs and node.pos_ == "VERB") or (lemma in cues.legal_nouns and node.pos_ == "NOUN"):
                return Judgement("historical", attribution, node.text)
            # a trend is a pattern, not one event: "ramped up attacks", "intensified raids"
            phrasal = " ".join([lemma] + [c.lower_ for c in node.children if c.dep_ == "prt"])
            if node.pos_ == "VERB" and (lemma in cues.trend_verbs or phrasal in cues.trend_verbs) \
                    and previous is not None and previous.dep_ == "dobj" and previous.tag_ == "NNS":
                return Judgement("historical", attribution, node.text)
            if node.lower_ == "since" and previous is not None and previous.dep_ == "pobj":
                return Judgement("historical", attribution, node.text)
            if node.lower_ == "of" and node.head.lower_ == "ahead":  # "ahead of a final thrust"
                return Judgement("future", attribution, node.text)
            if lemma in cues.future_verbs and previous is not None and previous.dep_ in ("xcomp", "dobj", "prep") \
                    and node.pos_ == "VERB" and lemma not in cues.reporting:
                return Judgement("future", attribution, node.text)
        # a clause describing a long conflict: "the war, which killed thousands"
        if node.dep_ in ("relcl", "acl") and node.head.lemma_.lower() in cues.conflict_nouns:
            return Judgement("historical", attribution, node.head.text)
        # 2. the clause's own auxiliaries and negation
        if node.pos_ in ("VERB", "AUX") or depth == 0:
            for child in node.children:
                clemma = child.lemma_.lower()
                if child.dep_ == "neg" and not (depth > 0 and lemma in cues.reporting):
                    return Judgement("denied", attribution, child.text)
                if child.dep_ == "aux" and clemma in cues.future_aux:
                    return Judgement("future", attribution, child.text)
                if child.dep_ == "aux" and clemma in cues.hyp_aux:
                    return Judgement("hypothetical", attribution, child.text)
                if child.dep_ == "mark" and clemma in CONDITIONAL_MARKS:
                    return Judgement("hypothetical", attribution, child.text)
                if child.dep_ == "mark" and clemma == "since" and depth > 0:
                    return Judgement("historical", attribution, child.text)  # "since the withdrawal began"
                if child.dep_ == "advmod" and clemma in cues.habitual:
                    return Judgement("historical", attribution, child.text)  # "regularly escape"
            # an infinitive ("to hand over") under a verb that does not make it happen
            if node.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children) \
                    and node.dep_ in ("xcomp", "advcl", "acl", "relcl", "ccomp", "pcomp", "conj") \
                    and node.head.lemma_.lower() not in IMPLICATIVE:
                if node.head.lemma_.lower() in cues.future_verbs:
                    return Judgement("future", attribution, node.head.text)
                return Judgement("hypothetical", attribution, f"to {node.text}")
        # 3. a time expression on this word
        kind = anchors.get(node.i)
        if kind == "historical":
            return Judgement("historical", attribution, node.text)
        if kind == "future":
            return Judgement("future", attribution, node.text)
        if kind == "current":
            return asserted
        previous = node
    return asserted
