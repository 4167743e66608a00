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
from typing import Any, Callable, Iterable, TypeVar, get_args, get_origin, get_type_hints

from .errors import ConfigError


# The default values live in one place, the packaged and commented ``defaults.toml``; the
# classes below say only which keys each section has and their types. ``PACKAGED`` marks
# a field whose default :func:`packaged_defaults` fills in from that file at import.
PACKAGED: Any = object()
_DEFAULTS_FILE = "defaults.toml"


def _read_packaged_defaults() -> dict[str, Any]:
    text = resources.files("wirecoder").joinpath(_DEFAULTS_FILE).read_text(encoding="utf-8")
    return tomllib.loads(text)


PACKAGED_DEFAULTS: dict[str, Any] = _read_packaged_defaults()

_Section = TypeVar("_Section")


def packaged_defaults(section: str, table: dict[str, Any] | None = None) -> Callable[[type[_Section]], type[_Section]]:
    """Class decorator (under ``@dataclass``): give each field marked ``PACKAGED`` its
    value from ``[section]`` of ``defaults.toml`` (or of ``table``), checked against the
    field's type. A field missing from the file, a key the class does not have, or a
    field with a default written in Python is a :class:`ConfigError` at import."""
    source = PACKAGED_DEFAULTS if table is None else table

    def fill(cls: type[_Section]) -> type[_Section]:
        where = f"{_DEFAULTS_FILE} [{section}]"
        values = source.get(section)
        if not isinstance(values, dict):
            raise ConfigError(f"{where} is missing: {cls.__name__} reads its defaults from it")
        hints = get_type_hints(cls)
        for name, hint in hints.items():
            if getattr(cls, name, None) is not PACKAGED:
                raise ConfigError(f"{cls.__name__}.{name}: write its default in {where}, "
                                  f"and `= PACKAGED` in the class")
            if name not in values:
                raise ConfigError(f"{where} has no key {name!r} (a field of {cls.__name__})")
            setattr(cls, name, _typed(values[name], hint, f"{where} {name}"))
        extra = sorted(set(values) - set(hints))
        if extra:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(extra)}; {cls.__name__} has "
                              f"{', '.join(hints)}")
        return cls

    return fill


def _typed(value: Any, hint: Any, where: str) -> Any:
    """A default from the TOML file as the field's type: an array becomes a tuple (settings
    stay frozen), an integer a float where a float is declared."""
    kind = get_origin(hint) or hint
    if kind is tuple:
        item_kind = get_args(hint)[0]
        if not isinstance(value, list) or not all(isinstance(item, item_kind) for item in value):
            raise ConfigError(f"{where}: expected a list of {item_kind.__name__}, got {value!r}")
        return tuple(value)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ConfigError(f"{where}: expected {kind.__name__}, got {value!r}")
    return value


@dataclass(frozen=True, slots=True)
@packaged_defaults("pipeline")
class PipelineSettings:
    # Names in wirecoder.registry.stages, run in this order; the commands that stop early
    # (``geoparse``) cut the list after the stage they need.
    stages: tuple[str, ...] = PACKAGED
    executor: str = PACKAGED  # a name in wirecoder.registry.executors
    workers: int = PACKAGED  # 0: one per core
    batch_chars: int = PACKAGED
    worker_retries: int = PACKAGED


@dataclass(frozen=True, slots=True)
@packaged_defaults("dask")
class DaskSettings:
    scheduler: str = PACKAGED  # empty: a LocalCluster


@dataclass(frozen=True, slots=True)
@packaged_defaults("extract")
class ExtractSettings:
    max_item_bytes: int = PACKAGED
    duplicate_threshold: float = PACKAGED
    shingle_size: int = PACKAGED
    favor_precision: bool = PACKAGED  # trafilatura's, for HTML pages


@dataclass(frozen=True, slots=True)
@packaged_defaults("fetch")
class FetchSettings:
    timeout_seconds: float = PACKAGED
    max_bytes: int = PACKAGED
    retries: int = PACKAGED
    backoff_seconds: float = PACKAGED
    max_retry_after_seconds: float = PACKAGED
    max_redirects: int = PACKAGED
    user_agent: str = PACKAGED  # "{version}" is replaced by wirecoder's version
    host_delay_seconds: float = PACKAGED
    summary_max_chars: int = PACKAGED


@dataclass(frozen=True, slots=True)
@packaged_defaults("nlp")
class NlpSettings:
    model: str = PACKAGED
    batch_size: int = PACKAGED
    max_chars: int = PACKAGED
    max_article_chars: int = PACKAGED


@dataclass(frozen=True, slots=True)
@packaged_defaults("geo")
class GeoSettings:
    cache_dir: str = PACKAGED
    fuzzy_min_score: int = PACKAGED
    min_confidence: float = PACKAGED


@dataclass(frozen=True, slots=True)
@packaged_defaults("code")
class CodeSettings:
    min_confidence: float = PACKAGED
    classifier: str = PACKAGED  # a name in wirecoder.registry.classifiers
    use_embeddings: bool = PACKAGED
    embedding_precision: str = PACKAGED  # "auto", "bfloat16" or "float32"


@dataclass(frozen=True, slots=True)
@packaged_defaults("resolve")
class ResolveSettings:
    actors_file: str = PACKAGED
    historical_after_days: int = PACKAGED


@dataclass(frozen=True, slots=True)
@packaged_defaults("dedup")
class DedupSettings:
    window_days: int = PACKAGED
    max_distance_km: float = PACKAGED
    min_score: float = PACKAGED


@dataclass(frozen=True, slots=True)
@packaged_defaults("store")
class StoreSettings:
    path: str = PACKAGED
    parquet_articles_per_file: int = PACKAGED


@dataclass(frozen=True, slots=True)
@packaged_defaults("run")
class RunSettings:
    read_ahead: int = PACKAGED
    progress_seconds: float = PACKAGED


@dataclass(frozen=True, slots=True)
@packaged_defaults("watch")
class WatchSettings:
    every: str = PACKAGED  # an interval: "15m", "30s", "2h", "1d"


@dataclass(frozen=True, slots=True)
@packaged_defaults("eval")
class EvalSettings:
    data_dir: str = PACKAGED


@dataclass(frozen=True, slots=True)
@packaged_defaults("serve")
class ServeSettings:
    host: str = PACKAGED
    port: int = PACKAGED
    review_token: str = PACKAGED
    page_size: int = PACKAGED
    max_page_size: int = PACKAGED
    max_points: int = PACKAGED
    doubt_confidence: float = PACKAGED
    doubt_place: float = PACKAGED
    doubt_claimed: float = PACKAGED
    doubt_single_source: float = PACKAGED
    doubt_big_toll: float = PACKAGED
    big_toll: int = PACKAGED


@dataclass(frozen=True, slots=True)
class Settings:
    pipeline: PipelineSettings = field(default_factory=PipelineSettings)
    dask: DaskSettings = field(default_factory=DaskSettings)
    extract: ExtractSettings = field(default_factory=ExtractSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    nlp: NlpSettings = field(default_factory=NlpSettings)
    geo: GeoSettings = field(default_factory=GeoSettings)
    code: CodeSettings = field(default_factory=CodeSettings)
    resolve: ResolveSettings = field(default_factory=ResolveSettings)
    dedup: DedupSettings = field(default_factory=DedupSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    run: RunSettings = field(default_factory=RunSettings)
    watch: WatchSettings = field(default_factory=WatchSettings)
    eval: EvalSettings = field(default_factory=EvalSettings)
    serve: ServeSettings = field(default_factory=ServeSettings)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)

    def analysis_fingerprint(self) -> str:
        """A hash of the settings that change what the analysis stores for an article:
        every section but where things are kept (``store``, ``geo.cache_dir``), how the
        work is fetched, run, reported and served (``fetch``, ``watch``, ``run``, ``serve``,
        ``dask``, ``pipeline``'s executor, workers and batches, ``nlp.batch_size``) and evaluation, plus the content of
        ``resolve.actors_file``. Stored with each article, so that a run can tell the
        articles analysed otherwise."""
        import hashlib

        data = self.to_dict()
        for section in ("store", "fetch", "watch", "run", "serve", "dask", "eval"):
            data.pop(section, None)
        data["geo"].pop("cache_dir", None)
        for key in ("executor", "workers", "batch_chars", "worker_retries"):
            data["pipeline"].pop(key, None)
        data["nlp"].pop("batch_size", None)
        if self.resolve.actors_file:
            try:
                data["resolve"]["actors_file"] = hashlib.sha256(
                    Path(self.resolve.actors_file).expanduser().read_bytes()).hexdigest()
            except OSError:
                pass  # unreadable: the stage that reads it reports that; the path stands in
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]

    def replace(self, section: str, **values: Any) -> Settings:
        """A copy with some keys of one section changed (validated like a user file)."""
        return _apply(self, {section: values}, origin="replace()")


def _check_sections() -> None:
    """Every table of defaults.toml is a section of :class:`Settings` and back (the keys
    within each are checked by :func:`packaged_defaults`)."""
    sections = {f.name for f in dataclasses.fields(Settings)}
    if set(PACKAGED_DEFAULTS) != sections:
        raise ConfigError(f"{_DEFAULTS_FILE} has the tables {', '.join(sorted(PACKAGED_DEFAULTS))}, "
                          f"Settings the sections {', '.join(sorted(sections))}: they must be the same")


_check_sections()


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
    """Resolve settings: packaged defaults < user file < ``section.key=value`` overrides.

    The user file is ``config_file`` (``--config``), else the one ``$WIRECODER_CONFIG``
    names: that variable only says where the settings are, and changes nothing else."""
    settings = Settings()  # the packaged defaults
    config_file = config_file or os.environ.get("WIRECODER_CONFIG") or None
    if config_file:
        settings = _apply(settings, _read_toml(Path(config_file)), origin=str(config_file))
    return _apply(settings, parse_overrides(overrides), origin="--set")


def user_cache_dir(override: str = "") -> Path:
    """Where wirecoder caches what it builds (the gazetteer index, a retrained event model):
    ``override`` (a setting such as ``geo.cache_dir``) when given, else ``wirecoder`` in the
    platform's user cache directory (``$XDG_CACHE_HOME``, by default ``~/.cache``, the
    freedesktop.org standard). The one place the cache location is decided."""
    if override:
        return Path(override).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "wirecoder"
