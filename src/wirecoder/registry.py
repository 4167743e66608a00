"""Named parts you can swap without editing the core: stages, event classifiers,
export formats, executors and language packs. (A gazetteer is not yet a swappable
part: the geoparser reads the packaged GeoNames index.)

Each kind of part is a :class:`Registry` of factories by name. The built-ins register
themselves where they are defined::

    @registry.classifiers.register("tfidf")
    def tfidf_classifier(settings): ...

and other packages add theirs through entry points, with no import of wirecoder's
internals needed beyond this module. In ``pyproject.toml``::

    [project.entry-points."wirecoder.classifiers"]
    my_model = "my_package.coder:make_classifier"

Settings name the parts to use (``[pipeline] stages``, ``code.classifier``, …), so every
command — ``run``, ``code``, ``eval`` — builds the same parts by the same names, and a
replacement is measured by ``wirecoder eval events --set code.classifier=my_model``.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from typing import Any, Callable, Generic, Iterator, TypeVar

from .errors import ConfigError

F = TypeVar("F", bound=Callable[..., Any])

class Registry(Generic[F]):
    """Factories of one kind of part, by name: the built-ins, then the entry points of
    the group ``wirecoder.<kind>``. A name registered twice is a configuration error,
    never a silent replacement. The modules holding the built-ins are imported on the
    first lookup, so that ``wirecoder extract`` never loads spaCy to list what exists."""

    def __init__(self, kind: str, builtin_modules: tuple[str, ...] = ()) -> None:
        self.kind = kind
        self.group = f"wirecoder.{kind}"
        self._factories: dict[str, F] = {}
        self._origins: dict[str, str] = {}
        self._builtin_modules = builtin_modules
        self._builtins_loaded = False
        self._entry_points_loaded = False
        self._from_entry_points: set[str] = set()

    def register(self, name: str) -> Callable[[F], F]:
        def decorate(factory: F) -> F:
            self.add(name, factory, origin=f"{factory.__module__}.{factory.__qualname__}")
            return factory

        return decorate

    def add(self, name: str, factory: F, origin: str = "") -> None:
        known = self._origins.get(name)
        if known is not None and known != origin:
            raise ConfigError(f"two {self.kind.replace('_', ' ')} are named {name!r}: {known} and {origin}")
        self._factories[name] = factory
        self._origins[name] = origin

    def discard(self, name: str) -> None:
        """Forget a part (for tests that add one for a while)."""
        self._factories.pop(name, None)
        self._origins.pop(name, None)
        self._from_entry_points.discard(name)

    def get(self, name: str) -> F:
        self._load()
        try:
            return self._factories[name]
        except KeyError:
            raise ConfigError(
                f"no {self.item} named {name!r}; available: {', '.join(self.names()) or 'none'}"
            ) from None

    def names(self) -> list[str]:
        self._load()
        return sorted(self._factories)

    def __contains__(self, name: str) -> bool:
        self._load()
        return name in self._factories

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    @property
    def item(self) -> str:
        """One part of this kind, for messages: ``export_formats`` -> ``export format``."""
        return self.kind.removesuffix("s").replace("_", " ")

    def forget_entry_points(self) -> None:
        """Drop the parts that came from entry points and read the groups again at the
        next lookup: for tests that install a distribution after the first lookup."""
        for name in self._from_entry_points:
            self._factories.pop(name, None)
            self._origins.pop(name, None)
        self._from_entry_points.clear()
        self._entry_points_loaded = False

    def _load(self) -> None:
        if not self._builtins_loaded:
            self._builtins_loaded = True
            for module in self._builtin_modules:
                importlib.import_module(module)
        if self._entry_points_loaded:
            return
        self._entry_points_loaded = True
        for entry in entry_points(group=self.group):
            if entry.name in self._factories:
                continue  # a built-in keeps its name; the plug-in's duplicate is ignored
            try:
                factory = entry.load()
            except Exception as exc:  # noqa: BLE001 - a broken plug-in names itself, not a traceback
                raise ConfigError(f"{self.group} entry point {entry.name!r} ({entry.value}) cannot be loaded: "
                                  f"{type(exc).__name__}: {exc}") from exc
            self.add(entry.name, factory, origin=entry.value)
            self._from_entry_points.add(entry.name)


stages: Registry[Callable[..., Any]] = Registry("stages", (
    "wirecoder.stages.nlp", "wirecoder.stages.geoparse.geoparser", "wirecoder.stages.code.coder",
    "wirecoder.stages.resolve.resolver", "wirecoder.stages.consolidate", "wirecoder.store.testing"))
classifiers: Registry[Callable[..., Any]] = Registry("classifiers", ("wirecoder.stages.code.classify",))
export_formats: Registry[Callable[..., Any]] = Registry("export_formats", ("wirecoder.export",))
executors: Registry[Callable[..., Any]] = Registry("executors", (
    "wirecoder.pipeline", "wirecoder.executors.processes", "wirecoder.executors.dask_cluster"))
languages: Registry[Callable[..., Any]] = Registry("languages", ("wirecoder.lang",))
