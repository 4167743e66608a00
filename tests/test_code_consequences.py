"""A sentence that tells a strike or a battle and the deaths it caused codes one event
(ACLED codes the mechanism; its toll is the deaths), while two different happenings in
one sentence stay two."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the participle "killing" depends on the strike: one air strike, not a strike and an attack
        ("Russian drones struck an apartment building in Kharkiv on Monday, killing four people.",
         ["Air/drone strike"]),
        # deaths and injuries both told as consequences of a bombing
        ("Government warplanes bombed a market in the town, killing at least 12 civilians and wounding 30.",
         ["Air/drone strike"]),
        # "killed when a bomb exploded": the death verb is the main predicate, the bomb still wins
        ("Five soldiers were killed when a roadside bomb exploded near their convoy in Kunduz.",
         ["Remote explosive/landmine/IED"]),
        # deaths in clashes and a separate mortar round: two happenings, two events
        ("Two people were killed in clashes between rival militias, and a mortar round hit a school.",
         ["Armed clash", "Shelling/artillery/missile attack"]),
    ],
)
def test_code_death_words_are_the_toll_of_their_mechanism(code, text, expected):
    assert [e.sub_event_type for e in code(text) if e.event_type] == expected
