"""The SQLite store of the dataset (see :mod:`wirecoder.store.schema` for its tables)."""

from .store import Store, WriteResult

__all__ = ["Store", "WriteResult"]
