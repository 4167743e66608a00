"""A weapon named as a thing supplied, bought, made or sent is no attack: "the US
supplied Patriot missiles" reports a transfer, never an Explosions/Remote violence event.
Firing or striking with it still is. Sentences are our own."""

from __future__ import annotations

import pytest


REMOTE = "Explosions/Remote violence"


@pytest.mark.parametrize(
    "text",
    [
        # the object of "supplied" is a delivery, not a strike
        "Norland supplied Patriot missiles to its neighbour on Tuesday.",
        # a participle saying where the shells were made
        "The army is running low on artillery shells made in Osterland.",
        # drones bought abroad, object of a verb that is no attack
        "The militia uses drones bought from Veloria.",
        # a factory's output
        "The plant in Karsa produces rockets for the navy.",
        # a promise to send weapons
        "The ministry said it sent more missiles to the border units on Monday.",
        # the object of a noun of supply
        "Deliveries of drones to the rebels doubled this month.",
    ],
)
def test_code_weapon_as_goods_is_no_attack(code, text):
    assert [e.sub_event_type for e in code(text) if e.event_type == REMOTE] == []


@pytest.mark.parametrize(
    "text",
    [
        # a missile that strikes is an attack
        "A missile struck a school in Kharkiv on Tuesday.",
        # firing shells made abroad still reports the firing
        "Troops fired artillery shells made in Osterland at the village on Monday.",
        # drones that attack are an attack whoever built them
        "Drones attacked an oil depot near Mirovo overnight.",
    ],
)
def test_code_weapon_used_is_still_an_attack(code, text):
    assert REMOTE in [e.event_type for e in code(text) if e.modality in ("asserted", "claimed")]
