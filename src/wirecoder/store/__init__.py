"""The SQLite store of the dataset (see :mod:`wirecoder.store.schema` for its tables)."""

from .feeds import FeedLog, FeedValidators, TakenItem
from .store import Store, WriteResult

__all__ = ["FeedLog", "FeedValidators", "Store", "TakenItem", "WriteResult"]
