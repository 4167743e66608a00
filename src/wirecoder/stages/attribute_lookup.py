"""An exact, cheaper stand-in for spaCy's ``attribute_ruler`` in the ``nlp`` stage.

``en_core_web_sm``'s attribute ruler maps each token's fine tag (and, for a few rules, its
lower-cased form and dependency label) to its coarse part of speech, morphology and some
lemmas, through 179 patterns run by spaCy's ``Matcher``: about 15 ms of a 4,000-character
article, a tenth of the parse. Every pattern but a handful looks at one token, and
whether it matches depends only on that token's ``(TAG, LOWER, DEP, IS_SPACE)``; so the
rules that hit a token are computed once per distinct such key and looked up after that.
The few patterns of two tokens are checked where their first token matches.

The effect is the ruler's, to the letter: the same rules hit the same tokens, their
attributes are written by spaCy's own ``set_token_attrs`` in the ruler's order (by rule,
later rules win), all matched against the tokens as they were before any write. A
pattern using anything else than exact values, ``IN``, ``NOT_IN`` or ``REGEX`` over those
four attributes cannot be looked up: then :func:`replace_attribute_ruler` leaves the
ruler in place.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Sequence

from spacy.attrs import DEP, IDS, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

FACTORY = "wirecoder_attribute_lookup"
# The token attributes a pattern may test, in the order of a lookup key, and their names
# in a pattern.
_ARRAY_ATTRS = [TAG, LOWER, DEP, IS_SPACE]
_KEYS = tuple(next(name for name, i in IDS.items() if i == attr) for attr in _ARRAY_ATTRS)
# Distinct keys seen before the lookup table starts again (a bound on memory over a long
# run: some tens of thousands of keys cover a year of news).
_MAX_KEYS = 200_000

TokenTest = Callable[[tuple[str, str, str, bool]], bool]


class UnsupportedPattern(ValueError):
    """A pattern the lookup cannot reproduce exactly."""


def _value_test(position: int, spec: Any) -> Callable[[tuple], bool]:
    if isinstance(spec, (str, bool)):
        return lambda key: key[position] == spec
    if isinstance(spec, dict) and len(spec) == 1:
        (op, arg), = spec.items()
        if op == "IN" and isinstance(arg, list):
            allowed = frozenset(arg)
            return lambda key: key[position] in allowed
        if op == "NOT_IN" and isinstance(arg, list):
            refused = frozenset(arg)
            return lambda key: key[position] not in refused
        if op == "REGEX" and isinstance(arg, str):
            pattern = re.compile(arg)  # the Matcher's REGEX is re.search
            return lambda key: bool(pattern.search(key[position]))
    raise UnsupportedPattern(f"cannot look up the token test {spec!r}")


def _token_test(spec: dict[str, Any]) -> TokenTest:
    unknown = set(spec) - set(_KEYS)
    if unknown:
        raise UnsupportedPattern(f"cannot look up token attributes {sorted(unknown)}")
    tests = [_value_test(_KEYS.index(name), value) for name, value in spec.items()]
    return lambda key: all(test(key) for test in tests)


class AttributeLookup:
    """Sets what the attribute ruler of ``rules`` would set: ``rules`` lists, in the
    ruler's order, each rule's patterns, its normalised attributes and its token index."""

    def __init__(self, rules: Sequence[tuple[list[list[dict[str, Any]]], dict[Any, Any], int]] = ()) -> None:
        self.load(rules)

    def load(self, rules: Sequence[tuple[list[list[dict[str, Any]]], dict[Any, Any], int]]) -> None:
        """Compile ``rules`` (raises :class:`UnsupportedPattern` for one it cannot look up)."""
        self.attrs = [attrs for _, attrs, _ in rules]
        self.indices = [index for _, _, index in rules]
        # (rule id, tests of each token of one pattern)
        self.patterns: list[tuple[int, list[TokenTest]]] = [
            (rule_id, [_token_test(token) for token in pattern])
            for rule_id, (patterns, _, _) in enumerate(rules) for pattern in patterns]
        self._first: dict[tuple[int, int, int, int], tuple[tuple, tuple[tuple[int, int], ...]]] = {}

    def _entry(self, row: tuple[int, int, int, int], strings: Any) -> tuple[tuple, tuple[tuple[int, int], ...]]:
        """A token's key (as strings) and the (pattern no., rule id) whose first token it
        matches, computed once per distinct row of attribute hashes."""
        entry = self._first.get(row)
        if entry is None:
            if len(self._first) >= _MAX_KEYS:
                self._first.clear()
            tag, lower, dep, space = row
            key = (strings[tag], strings[lower], strings[dep], bool(space))
            entry = (key, tuple((n, rule_id) for n, (rule_id, tests) in enumerate(self.patterns) if tests[0](key)))
            self._first[row] = entry
        return entry

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        entries = [self._entry(row, strings) for row in map(tuple, doc.to_array(_ARRAY_ATTRS).tolist())]
        hits: list[tuple[int, int, int]] = []  # (rule id, start, end): the ruler's order
        for start, (_, starting) in enumerate(entries):
            for n, rule_id in starting:
                tests = self.patterns[n][1]
                end = start + len(tests)
                if end <= len(entries) and all(test(entries[start + k][0]) for k, test in enumerate(tests[1:], 1)):
                    hits.append((rule_id, start, end))
        for rule_id, start, end in sorted(set(hits)):
            index = self.indices[rule_id]
            set_token_attrs(doc[start + index if index >= 0 else end + index], self.attrs[rule_id])
        return doc


@Language.factory(FACTORY)
def make_attribute_lookup(nlp: Language, name: str) -> AttributeLookup:
    """An empty lookup; :func:`replace_attribute_ruler` fills it from the ruler it replaces."""
    return AttributeLookup()


def replace_attribute_ruler(nlp: Language) -> bool:
    """Put an :class:`AttributeLookup` holding the rules of ``nlp``'s ``attribute_ruler``
    in its place; False (the ruler kept) when it has none or a rule cannot be looked up."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    if isinstance(ruler, AttributeLookup):
        return True
    rules = [(ruler.matcher.get(str(i))[1], ruler.attrs[i], ruler.indices[i]) for i in range(len(ruler.attrs))]
    try:
        AttributeLookup(rules)
    except UnsupportedPattern:
        return False
    nlp.replace_pipe("attribute_ruler", FACTORY).load(rules)
    return True
