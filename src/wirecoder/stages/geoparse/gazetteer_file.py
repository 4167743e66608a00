"""The gazetteer's cache file: one numpy ``.npz`` that holds data only, never code.

The cache lives in a folder the user may point anywhere (``geo.cache_dir``), so it must
not be a pickle, which runs whatever code it names when loaded: a planted file would
run. Every column of a :class:`~.gazetteer.Gazetteer` is a plain array, read back with
``allow_pickle=False``; strings are stored as one UTF-8 text joined by NUL (which no
place name holds), so that they load with one ``decode`` and one ``split`` rather than
an object per name. Columns that repeat a few values (country and division codes,
county names) are stored as a list of the distinct values and a number per row: loaded,
the rows share one string object per value, which saves time and about 40 MB.

Layout (``<d>`` is a mapping: ``demonyms``, ``preferred``, ``country_record``...)::

    ids, kinds, lat, lon, population          one row per record
    names                                     NUL-joined UTF-8, one string per record
    countries.*, admin1.*                     distinct values (NUL-joined) and codes
    index.keys, index.first                   each name key, in insertion order, and its
                                              first record
    index.more_at, index.more_len, index.more the keys naming several records: their
                                              position, count and records, flattened
    admin2_names.ids, admin2_names.names.*    GeoNames id of a town -> its county
    <d>.keys / <d>.country, <d>.code, ...     the small mappings, column by column
"""

from __future__ import annotations

import gc
import os
import secrets
import zipfile
from array import array
from pathlib import Path
from typing import Iterable, Mapping

import numpy as np

from .gazetteer import KINDS, Gazetteer

SEPARATOR = "\x00"


class GazetteerFileError(ValueError):
    """A cache file that is not a readable gazetteer of this format."""


def write_gazetteer(gaz: Gazetteer, path: Path) -> None:
    """Write ``gaz`` to ``path``, aside then renamed: a concurrent reader never sees
    half a file."""
    pairs = [(k, (v,) if isinstance(v, int) else v) for k, v in gaz.index.items()]
    more_at = [i for i, (_, v) in enumerate(pairs) if len(v) > 1]
    arrays = {
        "ids": np.frombuffer(gaz.ids, dtype=np.int64),
        "kinds": np.frombuffer(gaz.kinds, dtype=np.int8),
        "lat": np.frombuffer(gaz.lat, dtype=np.float64),
        "lon": np.frombuffer(gaz.lon, dtype=np.float64),
        "population": np.frombuffer(gaz.population, dtype=np.int64),
        "names": _pack(gaz.names),
        **_pack_coded("countries", gaz.countries),
        **_pack_coded("admin1", gaz.admin1),
        "index.keys": _pack(k for k, _ in pairs),
        "index.first": _ints(v[0] for _, v in pairs),
        "index.more_at": _ints(more_at),
        "index.more_len": _ints(len(pairs[i][1]) for i in more_at),
        "index.more": _ints(r for i in more_at for r in pairs[i][1]),
        "capitals": _ints(sorted(gaz.capitals)),
        "admin2_names.ids": _ints(gaz.admin2_names),
        **_pack_coded("admin2_names.names", list(gaz.admin2_names.values())),
    }
    for name in ("demonyms", "preferred", "country_record"):
        mapping: dict[str, int] = getattr(gaz, name)
        arrays[f"{name}.keys"] = _pack(mapping)
        arrays[f"{name}.records"] = _ints(mapping.values())
    for name in ("admin1_record", "state_codes"):
        pairs_map: dict[tuple[str, str], int] = getattr(gaz, name)
        arrays[f"{name}.country"] = _pack(c for c, _ in pairs_map)
        arrays[f"{name}.code"] = _pack(a for _, a in pairs_map)
        arrays[f"{name}.records"] = _ints(pairs_map.values())
    arrays["admin1_names.country"] = _pack(c for c, _ in gaz.admin1_names)
    arrays["admin1_names.code"] = _pack(a for _, a in gaz.admin1_names)
    arrays["admin1_names.names"] = _pack(gaz.admin1_names.values())

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        with tmp.open("xb") as handle:
            np.savez(handle, **arrays)  # uncompressed: loading is what is paid for each run
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def read_gazetteer(path: Path) -> Gazetteer:
    """The gazetteer stored at ``path``; :class:`GazetteerFileError` when it is not a
    whole, consistent file of this format (a pickle under its name is refused, not run)."""
    # The load makes about two million objects and no cycle: passes of the cyclic
    # collector over them cost some 15% of its time, for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        archive = np.load(path, allow_pickle=False)  # no pickles, no object arrays
        if not isinstance(archive, np.lib.npyio.NpzFile):
            raise ValueError("a single array, not a gazetteer archive")
        with archive:
            return _unpack(archive)
    except (OSError, ValueError, KeyError, IndexError, TypeError, EOFError, UnicodeDecodeError,
            AttributeError, zipfile.BadZipFile) as exc:
        raise GazetteerFileError(f"{path}: not a usable gazetteer cache ({exc!r})") from exc
    finally:
        if collecting:
            gc.enable()


def _unpack(a: Mapping[str, np.ndarray]) -> Gazetteer:
    gaz = Gazetteer()
    gaz.ids = _array("q", a["ids"], np.int64)
    gaz.kinds = _array("b", a["kinds"], np.int8)
    gaz.lat = _array("d", a["lat"], np.float64)
    gaz.lon = _array("d", a["lon"], np.float64)
    gaz.population = _array("q", a["population"], np.int64)
    gaz.names = _unpack_strings(a["names"])
    gaz.countries, gaz.admin1 = _unpack_coded(a, "countries"), _unpack_coded(a, "admin1")
    n = len(gaz.ids)
    if not all(len(column) == n for column in (gaz.kinds, gaz.lat, gaz.lon, gaz.population,
                                               gaz.names, gaz.countries, gaz.admin1)):
        raise ValueError("columns of different lengths")
    if n and not 0 <= min(gaz.kinds) <= max(gaz.kinds) < len(KINDS):
        raise ValueError("unknown kind of place")

    # Every record number below must point inside the columns: a damaged file fails
    # here, not in the middle of a batch.
    def records(key: str, count: int | None = None) -> list[int]:
        values = a[key]
        if values.dtype != np.int64 or values.ndim != 1 or (count is not None and len(values) != count):
            raise ValueError(f"{key}: not a column of record numbers")
        if len(values) and not 0 <= int(values.min()) <= int(values.max()) < n:
            raise ValueError(f"{key}: record number out of range")
        return values.tolist()

    keys = _unpack_strings(a["index.keys"])
    values: list[int | tuple[int, ...]] = records("index.first", len(keys))  # type: ignore[assignment]
    more_at, more_len = a["index.more_at"].tolist(), a["index.more_len"].tolist()
    more = records("index.more", sum(more_len))
    start = 0
    for position, count in zip(more_at, more_len, strict=True):
        values[position] = tuple(more[start:start + count])
        start += count
    gaz.index = dict(zip(keys, values, strict=True))
    for name in ("demonyms", "preferred", "country_record"):
        mapping_keys = _unpack_strings(a[f"{name}.keys"])
        setattr(gaz, name, dict(zip(mapping_keys, records(f"{name}.records", len(mapping_keys)), strict=True)))
    for name in ("admin1_record", "state_codes"):
        codes = list(zip(_unpack_strings(a[f"{name}.country"]), _unpack_strings(a[f"{name}.code"]), strict=True))
        setattr(gaz, name, dict(zip(codes, records(f"{name}.records", len(codes)), strict=True)))
    admin1_codes = zip(_unpack_strings(a["admin1_names.country"]), _unpack_strings(a["admin1_names.code"]), strict=True)
    gaz.admin1_names = dict(zip(admin1_codes, _unpack_strings(a["admin1_names.names"]), strict=True))
    gaz.capitals = set(records("capitals"))
    gaz.admin2_names = dict(zip(a["admin2_names.ids"].tolist(), _unpack_coded(a, "admin2_names.names"), strict=True))
    return gaz


def _pack(strings: Iterable[str]) -> np.ndarray:
    items = list(strings)
    text = SEPARATOR.join(items)
    if text.count(SEPARATOR) != max(len(items) - 1, 0):
        raise ValueError("a gazetteer string holds a NUL character")
    # The count goes first: an empty list and a list of one empty string differ.
    return np.frombuffer(len(items).to_bytes(8, "little") + text.encode("utf-8"), dtype=np.uint8)


def _pack_coded(name: str, strings: list[str]) -> dict[str, np.ndarray]:
    distinct = list(dict.fromkeys(strings))
    number = {value: i for i, value in enumerate(distinct)}
    return {f"{name}.values": _pack(distinct),
            f"{name}.codes": np.fromiter((number[v] for v in strings), dtype=np.int32, count=len(strings))}


def _unpack_coded(a: Mapping[str, np.ndarray], name: str) -> list[str]:
    distinct = _unpack_strings(a[f"{name}.values"])
    codes = a[f"{name}.codes"]
    if codes.dtype != np.int32 or codes.ndim != 1 or (len(codes) and not 0 <= codes.min() <= codes.max() < len(distinct)):
        raise ValueError(f"{name}: codes out of range")
    return list(map(distinct.__getitem__, codes.tolist()))


def _unpack_strings(packed: np.ndarray) -> list[str]:
    if packed.dtype != np.uint8 or packed.ndim != 1 or len(packed) < 8:
        raise ValueError("not a packed string column")
    count = int.from_bytes(packed[:8].tobytes(), "little")
    strings = packed[8:].tobytes().decode("utf-8").split(SEPARATOR) if count else []
    if len(strings) != count:
        raise ValueError(f"{len(strings)} strings where {count} were written")
    return strings


def _ints(values: Iterable[int]) -> np.ndarray:
    return np.fromiter(values, dtype=np.int64)


def _array(typecode: str, values: np.ndarray, dtype: type) -> array:
    if values.dtype != dtype or values.ndim != 1:
        raise ValueError(f"a column of {values.dtype}, expected {np.dtype(dtype).name}")
    column = array(typecode)
    column.frombytes(values.tobytes())
    return column
