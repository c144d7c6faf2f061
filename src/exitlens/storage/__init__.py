"""Storage: the only package that imports SQLAlchemy. Tables, migrations and the Store."""

from exitlens.storage.store import Store, StoreSession, Table, normalise_url, sqlite_url

__all__ = ["Store", "StoreSession", "Table", "normalise_url", "sqlite_url"]
