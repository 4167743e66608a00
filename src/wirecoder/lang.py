"""Language packs: the words, cues and patterns a language's stages read, kept as data
(``data/lang/<code>/*.toml``) instead of lists in the code, so that a language is added
by writing its pack, not by editing the stages.

A pack's tables are TOML files named after the part that reads them (``resolve.toml``,
``code.toml`` …); each key is one list or mapping, with comments saying what it is for::

    from ..lang import language_pack
    EN = language_pack("en")
    REPORTING_VERBS = EN.words("resolve", "reporting_verbs")

Other packages add packs through the ``wirecoder.languages`` entry point group: a
factory returning a :class:`LanguagePack` (for example over their own folder).
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from . import registry
from .errors import ConfigError, ResourceError


# Languages the stages can analyse today: each reads its words from the English pack at
# import. A second language needs its pack and stages that take the pack per article.
ANALYSED_LANGUAGES: tuple[str, ...] = ("en",)


class LanguagePack:
    """The tables of one language, read from a folder of TOML files."""

    def __init__(self, code: str, folder: Path) -> None:
        self.code = code
        self.folder = folder
        self._tables: dict[str, dict[str, Any]] = {}

    def table(self, name: str) -> dict[str, Any]:
        if name not in self._tables:
            path = self.folder / f"{name}.toml"
            try:
                self._tables[name] = tomllib.loads(path.read_text(encoding="utf-8"))
            except OSError as exc:
                raise ResourceError(f"language pack {self.code!r} has no table {name!r} ({path})") from exc
            except tomllib.TOMLDecodeError as exc:
                raise ResourceError(f"language pack {self.code!r}: {path} is not valid TOML: {exc}") from exc
        return self._tables[name]

    def value(self, table: str, key: str) -> Any:
        try:
            return self.table(table)[key]
        except KeyError:
            raise ResourceError(f"language pack {self.code!r}: table {table!r} has no key {key!r}") from None

    def words(self, table: str, key: str) -> frozenset[str]:
        """A set of words or phrases."""
        return frozenset(self.value(table, key))

    def sequence(self, table: str, key: str) -> tuple[Any, ...]:
        """An ordered list (order matters: patterns tried first to last, ranked cues)."""
        return tuple(self.value(table, key))

    def mapping(self, table: str, key: str) -> dict[str, Any]:
        return dict(self.value(table, key))


@registry.languages.register("en")
def english() -> LanguagePack:
    return LanguagePack("en", Path(str(resources.files("wirecoder").joinpath("data", "lang", "en"))))


@functools.lru_cache(maxsize=None)
def language_pack(code: str) -> LanguagePack:
    """The pack for an ISO 639-1 code; an unsupported language is a clear error."""
    if code not in registry.languages:
        raise ConfigError(f"unsupported language {code!r}: no language pack; available: "
                          f"{', '.join(registry.languages.names())}")
    return registry.languages.get(code)()
