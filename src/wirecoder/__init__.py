"""wirecoder: raw news in, a trustworthy political-event dataset out.

The pipeline runs ``extract -> nlp -> geoparse -> code -> resolve -> dedup -> store``;
each stage lives in its own module under :mod:`wirecoder.stages`.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("wirecoder")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0+source"

__all__ = ["__version__"]
