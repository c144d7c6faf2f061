"""Shared fixtures: stores on SQLite and PostgreSQL, projects, and a CLI runner."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, create_engine, text

from exitlens.settings import Settings
from exitlens.storage import Store

if TYPE_CHECKING:
    from exitlens.aggregate.findings import Findings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CORPUS = EXAMPLES / "corpus"
PG_URL = os.environ.get("EXITLENS_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _pg_admin_engine() -> Engine:
    url = PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    return create_engine(url, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_available() -> bool:
    try:
        engine = _pg_admin_engine()
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception as exc:
        if os.environ.get("EXITLENS_REQUIRE_PG") or os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required here but unreachable at {PG_URL}: {exc}")
        return False


@contextmanager
def fresh_pg_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test; dropped afterwards."""
    name = f"exitlens_test_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = PG_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL, once for SQLite and once for PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        return
    if not request.getfixturevalue("pg_available"):
        pytest.skip(f"PostgreSQL unreachable at {PG_URL}")
    with fresh_pg_database() as url:
        yield url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store(db_url) as s:
        s.ensure_schema()
        yield s


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> Settings:
    for var in ("EXITLENS_PROJECT", "EXITLENS_DB_URL", "EXITLENS_MAX_FILE_MB"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("EXITLENS_USER", "tester")
    return Settings()


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], settings: Settings):  # type: ignore[no-untyped-def]
    """Run `exitlens ARGS...` in-process, as the console script does."""
    from exitlens.cli.main import run

    def invoke(*args: str) -> CliResult:
        with pytest.raises(SystemExit) as exit_info:
            run(list(args))
        captured = capsys.readouterr()
        code = exit_info.value.code
        return CliResult(code if isinstance(code, int) else (0 if code is None else 1),
                         captured.out, captured.err)

    return invoke


@pytest.fixture(scope="session")
def gold_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A SQLite project whose accepted codings are the example corpus's gold labels."""
    from tests.findings_data import load_gold_as_accepted, new_store

    path = tmp_path_factory.mktemp("gold") / "store.sqlite"
    with new_store(f"sqlite:///{path}") as store:
        load_gold_as_accepted(store)
        yield store


@pytest.fixture(scope="session")
def found(gold_store: Store) -> Findings:
    """The findings of ``gold_store``, on accepted codings."""
    from exitlens.services.findings import build_findings

    return build_findings(gold_store, "accepted", detail=True)
