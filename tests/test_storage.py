"""The Store on SQLite and PostgreSQL: migrations, transactions, the append-only event log."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from exitlens.errors import NotFoundError, StoreError
from exitlens.storage import Store
from exitlens.storage.tables import Base


def _source(sha: str = "a" * 64, body: str = "He left because the fighters were never paid.",
            ) -> dict[str, object]:
    return {"sha256": sha, "text": body, "origin": "x.txt", "format": "txt",
            "chars": len(body), "extra": {"fictional": True}, "minhash": b"\x01" * 8,
            "buckets": [(0, 11), (1, -5)]}


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index",
                            "ignore:autogenerate skipping metadata-specified expression-based")
def test_migrations_create_exactly_the_tables_of_the_models(store: Store) -> None:
    assert store.current_revision() == store.head_revision()
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                Base.metadata)
        # SQLite cannot reflect expression indexes, so check the review queue's by name
        names = {"sqlite": "SELECT name FROM sqlite_master WHERE type = 'index'",
                 "postgresql": "SELECT indexname FROM pg_indexes"}[conn.dialect.name]
        indexes = {row[0] for row in conn.exec_driver_sql(names)}
    assert diff == []
    assert {"ix_codings_review", "ix_codings_status_case_code"} <= indexes


def test_ensure_schema_twice_is_harmless(store: Store) -> None:
    store.ensure_schema()
    assert "events" in store.table_names()


def test_sources_round_trip_and_hash_lookup(store: Store) -> None:
    with store.session() as tx:
        ids = tx.add_sources([_source(), _source("b" * 64, "Another account entirely.")])
    with store.session() as tx:
        assert tx.source_ids_by_hash(["a" * 64, "c" * 64]) == {"a" * 64: ids[0]}
        stored = tx.get_source(ids[0])
        assert stored.text.startswith("He left") and stored.extra == {"fictional": True}
        listed, total = tx.list_sources(limit=1)
        assert total == 2 and [s.id for s in listed] == [ids[0]]
        assert {sid for _, sid, _ in tx.sources_in_buckets([(0, 11)])} == {ids[0], ids[1]}
        assert tx.sources_in_buckets([(2, 11)]) == []
        with pytest.raises(NotFoundError, match="no source 999"):
            tx.get_source(999)


def test_a_failed_transaction_leaves_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.session() as tx:
        tx.add_sources([_source()])
        tx.log_event("tester", "source.add", "source", 1)
        raise RuntimeError("boom")
    with store.session() as tx:
        assert tx.counts()["sources"] == 0
        assert tx.counts()["events"] == 0


def test_unique_hash_is_enforced_by_the_database(store: Store) -> None:
    with pytest.raises(IntegrityError), store.session() as tx:
        tx.add_sources([_source(), _source()])
    with store.session() as tx:
        assert tx.counts()["sources"] == 0


@pytest.mark.parametrize("statement", ["UPDATE events SET actor = 'someone else'",
                                       "DELETE FROM events"])
def test_event_log_is_append_only(store: Store, statement: str) -> None:
    with store.session() as tx:
        tx.log_event("tester", "case.update", "case", 7, before={"gender": "unknown"},
                     after={"gender": "female"})
    with pytest.raises(DBAPIError, match="append-only"), store.session() as tx:
        tx.orm.execute(text(statement))
    with store.session() as tx:
        [event] = tx.events()
    assert (event["actor"], event["action"], event["entity_id"]) == ("tester", "case.update", "7")
    assert event["before"] == {"gender": "unknown"} and event["after"] == {"gender": "female"}


def test_codings_refuse_impossible_values(store: Store) -> None:
    with store.session() as tx:
        [source_id] = tx.add_sources([_source()])
        version = tx.add_codebook_version(key="k", version="1", name="K", content="c",
                                          sha256="0" * 64, actor="t", codes=[])
    good = {"source_id": source_id, "start": 0, "end": 7, "code": "quality_of_life",
            "codebook_version_id": version, "coder": "tester", "coder_kind": "human",
            "status": "accepted"}
    with store.session() as tx:
        tx.orm.execute(text('INSERT INTO codings (source_id, start, "end", code, '
                            "codebook_version_id, coder, coder_kind, status, created_at, "
                            "updated_at) VALUES (:source_id, :start, :end, :code, "
                            ":codebook_version_id, :coder, :coder_kind, :status, "
                            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"), good)
    for bad in ({"end": 0}, {"status": "maybe"}, {"coder_kind": "robot"},
                {"source_id": source_id + 100}):
        with pytest.raises(IntegrityError), store.session() as tx:
            tx.orm.execute(text('INSERT INTO codings (source_id, start, "end", code, '
                                "codebook_version_id, coder, coder_kind, status, created_at, "
                                "updated_at) VALUES (:source_id, :start, :end, :code, "
                                ":codebook_version_id, :coder, :coder_kind, :status, "
                                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"), good | bad)
    with store.session() as tx:
        assert tx.counts()["codings"] == 1


def test_codebook_versions_activate_and_refuse_silent_changes(store: Store) -> None:
    codes = [{"code": "a", "top": "a", "parent": None, "kind": "reason", "name": "A",
              "group": None, "colour": None, "definition": "d", "position": 0}]
    with store.session() as tx:
        first = tx.add_codebook_version(key="k", version="1", name="K", content="one",
                                        sha256="1" * 64, actor="t", codes=codes)
        second = tx.add_codebook_version(key="k", version="2", name="K", content="two",
                                         sha256="2" * 64, actor="t", codes=codes)
        assert tx.active_codebook() == (second, "two")
        assert tx.add_codebook_version(key="k", version="1", name="K", content="one",
                                       sha256="1" * 64, actor="t", codes=codes) == first
        assert tx.active_codebook() == (first, "one")
    with pytest.raises(StoreError, match="raise the 'version'"), store.session() as tx:
        tx.add_codebook_version(key="k", version="1", name="K", content="changed",
                                sha256="3" * 64, actor="t", codes=codes)
    with store.session() as tx:
        assert [v["active"] for v in tx.codebook_versions()] == [True, False]


def test_bad_urls_and_unreachable_databases_are_clear() -> None:
    with pytest.raises(StoreError, match="SQLite or PostgreSQL only"):
        Store("mysql://root@127.0.0.1/test")
    unreachable = Store("postgresql://nobody@127.0.0.1:1/none")
    with pytest.raises(StoreError, match=r"cannot open the database .*Check that it is running"):
        unreachable.ensure_schema()


def test_foreign_tables_are_not_taken_over(db_url: str) -> None:
    with Store(db_url) as s:
        with s.engine.begin() as conn:
            conn.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
        with pytest.raises(StoreError, match="not an ExitLens project"):
            s.ensure_schema()


def test_recode_matches_code_prefixes_literally(db_url: str) -> None:
    from tests.findings_data import new_store

    with new_store(db_url) as store, store.session() as tx:
        version = tx.active_codebook()
        assert version is not None
        [sid] = tx.add_sources([_source()])
        tx.add_codings([{"source_id": sid, "start": 0, "end": 5, "code": code,
                         "codebook_version_id": version[0], "coder": "t",
                         "coder_kind": "human", "status": "accepted"}
                        for code in ("quality_of_life.a", "qualityXof_life.b")])
        # '_' is a LIKE wildcard: the prefix must still match only itself
        assert tx.recode("quality_of_life", "family_personal", keep_tail=True) == 1
        assert sorted(c["code"] for c in tx.codings_of_source(sid)) == [
            "family_personal.a", "qualityXof_life.b"]
