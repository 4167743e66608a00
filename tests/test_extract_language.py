"""Article.language: detected from the writing system and function words, given by a
JSON line's "language", and refused by name by the parser when no pack analyses it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from wirecoder.cli import main
from wirecoder.errors import EXIT_ITEMS_FAILED
from wirecoder.stages.extract.language import detect_language


@pytest.mark.parametrize("text, language", [
    # Short snippets and headlines carry too little evidence: they stay English.
    ("Rebels attacked Goma on Monday.", "en"),
    ("Goma", "en"),
    ("", "en"),
    # English about Latin America, full of Spanish names, is English.
    ("Gunmen of the Frente Farabundo Martí para la Liberación Nacional attacked the garrison of "
     "San Miguel de la Frontera on Tuesday, and the army said that two soldiers were killed in the "
     "fighting near the Puente de Oro, according to the Estado Mayor.", "en"),
    # Upper-case wire copy is read case-blind.
    ("THE ARMY SAID THAT GUERRILLAS HAD BLOWN UP TWO POWER PYLONS IN THE EAST OF THE COUNTRY.", "en"),
    # An English story quoting a slogan in French stays English.
    ("Thousands marched in Paris on Saturday chanting \"la retraite à soixante ans\" as police "
     "looked on, and the interior ministry said the protest had been peaceful.", "en"),
    ("Des hommes armés ont attaqué un poste de police dans le nord du pays dans la nuit de samedi, "
     "selon un responsable local qui a précisé que les assaillants sont repartis vers la frontière "
     "avec des armes et que les renforts sont arrivés au matin.", "fr"),
    ("Bewaffnete haben in der Nacht zum Samstag eine Polizeiwache im Norden des Landes angegriffen, "
     "wie ein Sprecher der Behörden mitteilte. Die Angreifer sind nach dem Überfall in Richtung der "
     "Grenze geflohen, und die Polizei hat die Suche nach ihnen aufgenommen.", "de"),
    ("Hombres armados atacaron una comisaría en el norte del país durante la noche del sábado, según "
     "un portavoz de las autoridades, que dijo que los atacantes huyeron hacia la frontera con las armas.", "es"),
    ("هاجم مسلحون مركزا للشرطة في شمال البلاد ليلة السبت", "ar"),
    ("Вооруженные люди напали на полицейский участок на севере страны", "ru"),
])
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_unsupported_language_is_refused_by_name_and_the_rest_goes_on(tmp_path: Path) -> None:
    lines = [
        {"id": "fr-1", "text": "Des hommes armés ont attaqué un poste de police dans le nord du pays dans la nuit "
                               "de samedi, selon un responsable local qui a précisé que les assaillants sont "
                               "repartis vers la frontière avec des armes et que les renforts sont arrivés."},
        {"id": "given-ar", "text": "Rebels attacked Goma.", "language": "ar"},
        {"id": "en-GB", "text": "Rebels attacked Goma on Monday.", "language": "en-GB"},
    ]
    path = tmp_path / "langs.jsonl"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8")
    extracted = CliRunner().invoke(main, ["extract", str(path)])
    assert [json.loads(line)["language"] for line in extracted.stdout.splitlines()] == ["fr", "ar", "en"]
    result = CliRunner().invoke(main, ["code", str(path)])
    assert result.exit_code == EXIT_ITEMS_FAILED
    errors = [json.loads(line) for line in result.stderr.splitlines() if '"error"' in line]
    assert [e["item"].split("(article ")[1].rstrip(")") for e in errors] == ["fr-1", "given-ar"]
    assert all("unsupported language" in e["error"] for e in errors)
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["en-GB"]
