"""Named non-state armed groups of the actor dictionary across regions and decades:
mentions as written -> canonical group, inter code, country; the common words around
them ("the army", "farmers") keep resolving as before."""

from __future__ import annotations

from typing import Any

import pytest

from wirecoder.stages.resolve.actors import ArticleContext, load_actor_dictionary

SALVADOR = ArticleContext(focus_country="SV", countries=["SV"])

CASES = [
    # El Salvador, 1980s: the FMLN by its acronym, whatever follows it
    ("FMLN urban commandos", None, "FMLN: Farabundo Marti National Liberation Front", 2, "SV"),
    # truecased text writes the acronym in title case
    ("Fmln guerrillas", None, "FMLN: Farabundo Marti National Liberation Front", 2, "SV"),
    # a death squad of the era is a political militia
    ("the Maximiliano Hernández Martínez Brigade", None, "Maximiliano Hernandez Martinez Brigade", 3, "SV"),
    # Guatemala: the URNG, title-cased
    ("the Urng", None, "URNG: Guatemalan National Revolutionary Unity", 2, "GT"),
    # Peru: the Spanish name of the Shining Path
    ("Sendero Luminoso", None, "Shining Path (Sendero Luminoso)", 2, "PE"),
    # Peru: the MRTA under its English name
    ("Tupac Amaru Revolutionary Movement rebels", None, "MRTA: Tupac Amaru Revolutionary Movement", 2, "PE"),
    # Chile: an accented Spanish spelling
    ("the Manuel Rodríguez Patriotic Front", None, "FPMR: Manuel Rodriguez Patriotic Front", 2, "CL"),
    # Colombia: Escobar's cartel by the name it signed its communiques with
    ("the Extraditables", None, "Medellin Cartel", 3, "CO"),
    # Colombia: the FARC of the war years, by its full acronym
    ("FARC-EP", None, "FARC: Revolutionary Armed Forces of Colombia", 2, "CO"),
    # Mexico: the Zapatistas
    ("Zapatista rebels", None, "EZLN: Zapatista Army of National Liberation", 2, "MX"),
    # Afghanistan
    ("Haqqani Network militants", None, "Haqqani Network", 2, "AF"),
    # Pakistan: a variant spelling
    ("Lashkar-e-Toiba", None, "Lashkar-e-Taiba (LeT)", 2, "PK"),
    # the longer name beats "Islamic Jihad" (Palestinian Islamic Jihad)
    ("the Islamic Jihad Union", None, "Islamic Jihad Union (IJU)", 2, None),
    # Palestine: apostrophe and all
    ("al-Aqsa Martyrs' Brigades", None, "Al-Aqsa Martyrs Brigades", 2, "PS"),
    # Nepal's Maoists are not India's
    ("Nepalese Maoists", None, "Maoist Rebels (Nepal)", 2, "NP"),
    # Sri Lanka
    ("Tamil Tigers", None, "LTTE: Liberation Tigers of Tamil Eelam", 2, "LK"),
    # Philippines
    ("MILF rebels", None, "MILF: Moro Islamic Liberation Front", 2, "PH"),
    # Uganda
    ("Lord's Resistance Army fighters", None, "LRA: Lord's Resistance Army", 2, "UG"),
    # an ethnic militia takes the country of the mention
    ("Nigerian Fulani militiamen", None, "Fulani Ethnic Militia (Nigeria)", 4, "NG"),
    # Northern Ireland: "IRA" inside a longer name
    ("the Real IRA", None, "Real IRA", 2, "GB"),
    # "Irish National Liberation Army" is not the ELN ("National Liberation Army")
    ("Irish National Liberation Army", None, "INLA: Irish National Liberation Army", 2, "GB"),
    # generic mentions around them are unchanged: the army of the article's country
    ("the army", SALVADOR, "Military Forces of El Salvador", 1, "SV"),
    # police too
    ("police", SALVADOR, "Police Forces of El Salvador", 1, "SV"),
    # farmers are civilians
    ("a group of farmers", SALVADOR, "Civilians (El Salvador)", 7, "SV"),
    # an unnamed death squad is an unidentified armed group of the article's country
    ("death squads", SALVADOR, "Unidentified Armed Group (El Salvador)", 3, "SV"),
]


@pytest.fixture(scope="module")
def actors(settings: Any) -> Any:
    return load_actor_dictionary(settings)


@pytest.mark.parametrize("text,context,name,inter,country", CASES, ids=[c[0] for c in CASES])
def test_resolve_armed_group(text: str, context: ArticleContext | None, name: str, inter: int, country: str | None,
                             actors: Any) -> None:
    resolved = actors.resolve(text, context, True)
    assert (resolved.name, resolved.inter, resolved.country) == (name, inter, country)


@pytest.mark.parametrize("text,unit", [
    ("the ERP", "ERP"),  # a member faction of the FMLN is kept as its unit
    ("Popular Liberation Forces", "Popular Liberation Forces"),
])
def test_fmln_factions_are_units(text: str, unit: str, actors: Any) -> None:
    resolved = actors.resolve(text, None, True)
    assert (resolved.name, resolved.unit) == ("FMLN: Farabundo Marti National Liberation Front", unit)


def test_ordinary_words_name_no_group(actors: Any) -> None:
    # lower-case words that share letters with acronyms ("let", "eta", "fact", "model")
    # or with names ("front", "movement", "army") are no armed group
    text = ("Let them fact-check the model: farmers and police said the army and the movement left the front "
            "at an eta of noon, and the guerrillas fled.")
    assert actors.named_groups(text) == []
