"""The Store: one database (SQLite file or PostgreSQL), its migrations, and its transactions.

Services open a transaction with ``store.session()`` and call the methods of ``StoreSession``;
everything in one ``with`` block commits together or not at all.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Engine,
    String,
    create_engine,
    delete,
    event,
    exists,
    func,
    insert,
    inspect,
    literal,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, aliased, sessionmaker

from exitlens.errors import NotFoundError, StoreError
from exitlens.records import CONSENSUS, Source
from exitlens.storage.tables import (
    UNCERTAINTY,
    CaseIdentityRow,
    CaseRow,
    CaseSourceRow,
    CodebookVersionRow,
    CodeRow,
    CodeStateRow,
    CodingRow,
    EventRow,
    ImportBatch,
    MemoRow,
    SampleCoderRow,
    SampleRow,
    SampleSourceRow,
    SourceBucket,
    SourceRow,
    UserRow,
    WebSessionRow,
    utcnow,
)


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and file paths for SQLite."""
    if "://" not in url:
        return f"sqlite:///{Path(url).resolve()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.resolve()}"


def _enable_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class Store:
    """A database holding one ExitLens project."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        try:
            parsed = make_url(self.url)
        except ArgumentError:
            raise StoreError(f"'{url}' is not a database URL; use a path to a SQLite file or "
                             "postgresql://user@host:5432/dbname") from None
        self.display_url = parsed.render_as_string(hide_password=True)
        self.dialect = parsed.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise StoreError(f"{self.display_url}: ExitLens stores projects in SQLite or "
                             "PostgreSQL only")
        self.engine: Engine = create_engine(self.url, future=True, pool_pre_ping=True)
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", _enable_sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema -----------------------------------------------------------------------------

    def _alembic_config(self) -> Any:
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location",
                            str(resources.files("exitlens.storage").joinpath("migrations")))
        return cfg

    def head_revision(self) -> str:
        from alembic.script import ScriptDirectory

        head = ScriptDirectory.from_config(self._alembic_config()).get_current_head()
        assert head is not None
        return head

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self._connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def upgrade(self) -> None:
        """Bring the schema to the newest migration (creates it in an empty database)."""
        from alembic import command

        cfg = self._alembic_config()
        with self._connect() as conn, conn.begin():
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def ensure_schema(self) -> None:
        current = self.current_revision()
        if current == self.head_revision():
            return
        if current is None and self.table_names():
            raise StoreError(f"{self.display_url} holds tables that are not an ExitLens "
                             "project; use an empty database")
        self.upgrade()

    def table_names(self) -> list[str]:
        with self._connect() as conn:
            return inspect(conn).get_table_names()

    @contextmanager
    def _connect(self) -> Iterator[Any]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except OperationalError as exc:
            raise StoreError(f"cannot open the database {self.display_url}: "
                             f"{_first_line(exc)}. Check that it is running and that --db or "
                             "EXITLENS_DB_URL is right") from None

    @contextmanager
    def session(self) -> Iterator[StoreSession]:
        """One transaction: commits when the block ends, rolls back if it raises."""
        try:
            with self._sessions() as orm, orm.begin():
                yield StoreSession(orm)
        except OperationalError as exc:
            raise StoreError(f"database error on {self.display_url}: {_first_line(exc)}") from None


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)


@dataclass(frozen=True)
class Table:
    """Rows of plain values and their column names, as a query gave them."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


class StoreSession:
    """Reads and writes inside one transaction. Returns records, never ORM rows."""

    def __init__(self, orm: Session) -> None:
        self.orm = orm

    # -- events -----------------------------------------------------------------------------

    def log_event(self, actor: str, action: str, entity: str, entity_id: object = None,
                  before: dict[str, Any] | None = None,
                  after: dict[str, Any] | None = None) -> None:
        self.log_events([dict(actor=actor, action=action, entity=entity,
                              entity_id=None if entity_id is None else str(entity_id),
                              before=before, after=after)])

    def log_events(self, events: Sequence[dict[str, Any]]) -> None:
        if events:
            now = utcnow()
            self.orm.execute(insert(EventRow), [{"at": now, **e} for e in events])

    def events(self, *, action: str | None = None, entity: str | None = None,
               limit: int = 100) -> list[dict[str, Any]]:
        return self.find_events(action=action, entity=entity, limit=limit)[0]

    def find_events(self, *, actor: str | None = None, action: str | None = None,
                    entity: str | None = None, entity_id: str | None = None,
                    since: datetime | None = None, limit: int = 100, offset: int = 0
                    ) -> tuple[list[dict[str, Any]], int]:
        """Events, newest first, filtered (``action`` may end in '.' for a family such as
        'coding.'); and how many match."""
        query = select(EventRow)
        if actor:
            query = query.where(EventRow.actor == actor)
        if action:
            query = query.where(EventRow.action.startswith(action) if action.endswith(".")
                                else EventRow.action == action)
        if entity:
            query = query.where(EventRow.entity == entity)
        if entity_id:
            query = query.where(EventRow.entity_id == entity_id)
        if since is not None:
            query = query.where(EventRow.at >= since)
        total = self.orm.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self.orm.scalars(query.order_by(EventRow.id.desc()).limit(limit).offset(offset))
        return [{"id": e.id, "at": e.at.isoformat(), "actor": e.actor, "action": e.action,
                 "entity": e.entity, "entity_id": e.entity_id, "before": e.before,
                 "after": e.after} for e in rows], total

    # -- imports and sources ------------------------------------------------------------------

    def start_import(self, actor: str, arguments: dict[str, Any]) -> int:
        batch = ImportBatch(actor=actor, arguments=arguments, counts={})
        self.orm.add(batch)
        self.orm.flush()
        return batch.id

    def finish_import(self, batch_id: int, counts: dict[str, Any]) -> None:
        self.orm.execute(update(ImportBatch).where(ImportBatch.id == batch_id)
                         .values(finished_at=utcnow(), counts=counts))

    def source_ids_by_hash(self, hashes: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for chunk in _chunks(list(hashes), 500):
            rows = self.orm.execute(select(SourceRow.sha256, SourceRow.id)
                                    .where(SourceRow.sha256.in_(chunk)))
            found.update({sha: sid for sha, sid in rows})
        return found

    def sources_in_buckets(self, buckets: Sequence[tuple[int, int]]
                           ) -> list[tuple[tuple[int, int], int, bytes]]:
        """((band, bucket), source id, MinHash signature) of sources sharing a bucket."""
        wanted = set(buckets)
        hits: list[tuple[tuple[int, int], int]] = []
        for chunk in _chunks(sorted(wanted), 400):
            rows = self.orm.execute(select(SourceBucket.band, SourceBucket.bucket,
                                           SourceBucket.source_id)
                                    .where(SourceBucket.band.in_({b for b, _ in chunk}),
                                           SourceBucket.bucket.in_({v for _, v in chunk})))
            hits += [((band, bucket), sid) for band, bucket, sid in rows
                     if (band, bucket) in wanted]
        signatures: dict[int, bytes] = {}
        for chunk in _chunks(sorted({sid for _, sid in hits}), 500):
            rows = self.orm.execute(select(SourceRow.id, SourceRow.minhash)
                                    .where(SourceRow.id.in_(chunk)))
            signatures.update({sid: sig for sid, sig in rows if sig is not None})
        return [(key, sid, signatures[sid]) for key, sid in hits if sid in signatures]

    def add_sources(self, rows: Sequence[dict[str, Any]]) -> list[int]:
        """Insert sources (dicts of SourceRow columns plus 'buckets'); returns their ids."""
        if not rows:
            return []
        now = utcnow()
        values = [{k: v for k, v in row.items() if k != "buckets"} | {"imported_at": now}
                  for row in rows]
        ids = list(self.orm.scalars(
            insert(SourceRow).returning(SourceRow.id, sort_by_parameter_order=True), values))
        buckets = [{"band": band, "bucket": bucket, "source_id": sid}
                   for sid, row in zip(ids, rows, strict=True)
                   for band, bucket in row.get("buckets", ())]
        if buckets:
            self.orm.execute(insert(SourceBucket), buckets)
        return ids

    def mark_near_duplicates(self, links: Sequence[tuple[int, int, float]]) -> None:
        """(source id, id of the source it nearly duplicates, estimated Jaccard similarity)."""
        for source_id, of_id, score in links:
            self.orm.execute(update(SourceRow).where(SourceRow.id == source_id)
                             .values(near_duplicate_of=of_id, near_duplicate_score=score))

    def get_source(self, source_id: int) -> Source:
        row = self.orm.get(SourceRow, source_id)
        if row is None:
            raise NotFoundError(f"there is no source {source_id}; see `exitlens sources list`")
        return _source(row)

    def list_sources(self, *, language: str | None = None, medium: str | None = None,
                     limit: int = 50, offset: int = 0) -> tuple[list[Source], int]:
        query = select(SourceRow)
        if language:
            query = query.where(SourceRow.language == language)
        if medium:
            query = query.where(SourceRow.medium == medium)
        total = self.orm.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self.orm.scalars(query.order_by(SourceRow.id).limit(limit).offset(offset))
        return [_source(r) for r in rows], total

    def browse_sources(self, *, text: str | None = None, relevant: bool | None = None,
                       screened: bool | None = None, language: str | None = None,
                       coded: bool | None = None, sample_id: int | None = None,
                       blind: Sequence[int] = (), coder: str | None = None,
                       limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """Sources for a list page, filtered (``text`` searched in title and text, ignoring
        case; ``sample_id``: a sample's sources), with how many codings each has; and how many
        match in all. Codings are counted for the page's sources only. On ``blind`` sources
        only ``coder``'s own codings make a source coded."""
        query = select(SourceRow.id, SourceRow.title, SourceRow.origin, SourceRow.outlet,
                       SourceRow.published, SourceRow.language, SourceRow.medium,
                       SourceRow.relevant, SourceRow.relevance, SourceRow.chars)
        if text:
            pattern = f"%{text}%"
            query = query.where(SourceRow.text.ilike(pattern) | SourceRow.title.ilike(pattern))
        if relevant is not None:
            query = query.where(SourceRow.relevant.is_(relevant))
        if screened is not None:
            query = query.where(SourceRow.relevant.is_not(None) if screened
                                else SourceRow.relevant.is_(None))
        if language:
            query = query.where(SourceRow.language == language)
        if sample_id is not None:
            query = query.where(SourceRow.id.in_(select(SampleSourceRow.source_id).where(
                SampleSourceRow.sample_id == sample_id)))
        if coded is not None:
            has = exists().where(CodingRow.source_id == SourceRow.id,
                                 CodingRow.status != "rejected")
            if blind:
                has = has.where(SourceRow.id.not_in(sorted(blind)) | (CodingRow.coder == coder))
            query = query.where(has if coded else ~has)
        total = self.orm.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = [dict(r._mapping) for r in self.orm.execute(
            query.order_by(SourceRow.id).limit(limit).offset(offset))]
        counts = dict(self.orm.execute(
            select(CodingRow.source_id, func.count())
            .where(CodingRow.source_id.in_([r["id"] for r in rows]),
                   CodingRow.status != "rejected")
            .group_by(CodingRow.source_id)).tuples().all())
        for row in rows:
            row["codings"] = counts.get(row["id"], 0)
        return rows, total

    def count_by(self, column: str) -> dict[str, int]:
        col = getattr(SourceRow, column)
        rows = self.orm.execute(select(col, func.count()).group_by(col).order_by(col))
        return {("unknown" if key is None else str(key)): n for key, n in rows}

    def counts(self) -> dict[str, int]:
        tables = {"sources": SourceRow, "cases": CaseRow, "codings": CodingRow,
                  "users": UserRow, "memos": MemoRow, "events": EventRow,
                  "codebook_versions": CodebookVersionRow, "imports": ImportBatch}
        out = {name: self.orm.scalar(select(func.count()).select_from(t)) or 0
               for name, t in tables.items()}
        out["near_duplicates"] = self.orm.scalar(
            select(func.count()).where(SourceRow.near_duplicate_of.is_not(None))) or 0
        return out

    def code_states(self) -> dict[str, dict[str, Any]]:
        return {r.code: {"state": r.state, "alpha": r.alpha, "machine": r.machine,
                         "reference": r.reference, "units": r.units,
                         "decided_by": r.decided_by, "decided_at": r.decided_at.isoformat()}
                for r in self.orm.scalars(select(CodeStateRow))}

    def set_code_states(self, states: Sequence[dict[str, Any]]) -> None:
        for values in states:
            self.orm.merge(CodeStateRow(**values, decided_at=utcnow()))
        self.orm.flush()

    def add_sample(self, *, name: str, blind: bool, seed: int, stratify: str | None,
                   created_by: str, source_ids: Sequence[int], coders: Sequence[str]) -> int:
        if self.orm.scalar(select(SampleRow.id).where(SampleRow.name == name)):
            raise StoreError(f"there is already a sample named '{name}'")
        row = SampleRow(name=name, blind=blind, seed=seed, stratify=stratify,
                        created_by=created_by)
        self.orm.add(row)
        self.orm.flush()
        self.orm.execute(insert(SampleSourceRow), [{"sample_id": row.id, "source_id": s}
                                                    for s in source_ids])
        self.orm.execute(insert(SampleCoderRow), [{"sample_id": row.id, "username": c}
                                                   for c in coders])
        return row.id

    def samples(self) -> list[dict[str, Any]]:
        out = []
        for r in self.orm.scalars(select(SampleRow).order_by(SampleRow.id)):
            out.append({"id": r.id, "name": r.name, "blind": r.blind, "seed": r.seed,
                        "stratify": r.stratify, "created_by": r.created_by,
                        "created_at": r.created_at.isoformat(),
                        "closed_at": r.closed_at.isoformat() if r.closed_at else None,
                        "sources": list(self.orm.scalars(select(SampleSourceRow.source_id)
                                        .where(SampleSourceRow.sample_id == r.id)
                                        .order_by(SampleSourceRow.source_id))),
                        "coders": list(self.orm.scalars(select(SampleCoderRow.username)
                                       .where(SampleCoderRow.sample_id == r.id)
                                       .order_by(SampleCoderRow.username)))})
        return out

    def close_sample(self, sample_id: int) -> bool:
        result = self.orm.execute(update(SampleRow).where(SampleRow.id == sample_id,
                                                          SampleRow.closed_at.is_(None))
                                  .values(closed_at=utcnow()))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def blind_sources(self, username: str) -> set[int]:
        """Sources of open blind samples this person codes in."""
        return set(self.orm.scalars(
            select(SampleSourceRow.source_id)
            .join(SampleRow, SampleRow.id == SampleSourceRow.sample_id)
            .join(SampleCoderRow, SampleCoderRow.sample_id == SampleRow.id)
            .where(SampleRow.blind, SampleRow.closed_at.is_(None),
                   SampleCoderRow.username == username)))

    def human_coders(self) -> list[str]:
        """People whose codings (accepted) are stored; not the consensus."""
        return sorted(self.orm.scalars(select(CodingRow.coder).where(
            CodingRow.coder_kind == "human", CodingRow.status == "accepted",
            CodingRow.coder != CONSENSUS).distinct()))

    def coding_statuses(self) -> dict[str, int]:
        """How many codings have each status."""
        rows = self.orm.execute(select(CodingRow.status, func.count())
                                .group_by(CodingRow.status))
        return {status: n for status, n in rows}

    def published_range(self) -> tuple[str | None, str | None]:
        row = self.orm.execute(select(func.min(SourceRow.published),
                                      func.max(SourceRow.published))).one()
        return row[0], row[1]

    # -- analysis -------------------------------------------------------------------------

    def sources_by_id(self, ids: Sequence[int]) -> list[Source]:
        found: dict[int, Source] = {}
        for chunk in _chunks(list(ids), 500):
            for row in self.orm.scalars(select(SourceRow).where(SourceRow.id.in_(chunk))):
                found[row.id] = _source(row)
        return [found[i] for i in ids if i in found]

    def clear_machine_results(self, source_ids: Sequence[int]) -> dict[int, dict[str, int]]:
        """Remove machine suggestions on these sources, and the machine-made cases left with
        no coding and no other source; returns what was removed, per source."""
        ids = list(source_ids)
        removed = {sid: {"codings": 0, "cases": 0} for sid in ids}
        if not ids:
            return removed
        # suggestions, and codings accepted automatically (no person decided on them)
        machine = (CodingRow.source_id.in_(ids), CodingRow.coder_kind == "machine",
                   (CodingRow.status == "suggested")
                   | ((CodingRow.status == "accepted") & CodingRow.user_id.is_(None)))
        for sid, n in self.orm.execute(select(CodingRow.source_id, func.count())
                                       .where(*machine).group_by(CodingRow.source_id)):
            removed[sid]["codings"] = n
        self.orm.execute(delete(CodingRow).where(*machine))
        linked = self.orm.execute(
            select(CaseSourceRow.case_id, CaseSourceRow.source_id)
            .join(CaseRow, CaseRow.id == CaseSourceRow.case_id)
            .where(CaseSourceRow.source_id.in_(ids), CaseRow.created_by.like("machine:%"))).all()
        if not linked:
            return removed
        case_ids = [c for c, _ in linked]
        coded = set(self.orm.scalars(select(CodingRow.case_id).where(
            CodingRow.case_id.in_(case_ids)).distinct()))
        shared = {c for c, n in self.orm.execute(
            select(CaseSourceRow.case_id, func.count()).where(
                CaseSourceRow.case_id.in_(case_ids)).group_by(CaseSourceRow.case_id)) if n > 1}
        doomed = [(c, sid) for c, sid in linked if c not in coded and c not in shared]
        if doomed:
            self.orm.execute(delete(CaseRow).where(CaseRow.id.in_([c for c, _ in doomed])))
            for _, sid in doomed:
                removed[sid]["cases"] += 1
        return removed

    def add_cases(self, cases: Sequence[dict[str, Any]]) -> list[tuple[int, str]]:
        """Insert cases, each a dict of case columns plus optional 'identity' (restricted
        fields) and 'source_id' (to link); returns (id, pseudonym) for each, in order."""
        if not cases:
            return []
        pseudonyms = self._new_pseudonyms(len(cases))
        now = utcnow()
        values = [{k: v for k, v in c.items() if k not in ("identity", "source_id")}
                  | {"pseudonym": p, "created_at": now, "updated_at": now}
                  for c, p in zip(cases, pseudonyms, strict=True)]
        ids = list(self.orm.scalars(
            insert(CaseRow).returning(CaseRow.id, sort_by_parameter_order=True), values))
        identities = [{"case_id": i, "names": [], "aliases": [], "exact_places": [],
                       "photo_refs": [], **c["identity"]}
                      for i, c in zip(ids, cases, strict=True) if c.get("identity")]
        if identities:
            self.orm.execute(insert(CaseIdentityRow), identities)
        links = [{"case_id": i, "source_id": c["source_id"]}
                 for i, c in zip(ids, cases, strict=True) if c.get("source_id") is not None]
        if links:
            self.orm.execute(insert(CaseSourceRow), links)
        return list(zip(ids, pseudonyms, strict=True))

    def _new_pseudonyms(self, n: int) -> list[str]:
        out: list[str] = []
        while len(out) < n:
            candidates = {f"C-{secrets.token_hex(3).upper()}" for _ in range(n - len(out))}
            taken = set(self.orm.scalars(select(CaseRow.pseudonym).where(
                CaseRow.pseudonym.in_(candidates))))
            out += [c for c in candidates - taken if c not in out]
        return out[:n]

    def add_codings(self, rows: Sequence[dict[str, Any]]) -> list[int]:
        if not rows:
            return []
        now = utcnow()
        values = [{**r, "created_at": now, "updated_at": now} for r in rows]
        return list(self.orm.scalars(
            insert(CodingRow).returning(CodingRow.id, sort_by_parameter_order=True), values))

    def set_relevance(self, rows: Sequence[dict[str, Any]]) -> None:
        """Screening results: dicts with id, relevance, relevant, analysis_model and
        analysis_note."""
        if rows:
            now = utcnow()
            self.orm.execute(update(SourceRow), [{**r, "analysed_at": now} for r in rows])

    def case_identities(self, case_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        rows = self.orm.scalars(select(CaseIdentityRow).where(
            CaseIdentityRow.case_id.in_(list(case_ids))))
        return {r.case_id: {"names": r.names, "aliases": r.aliases,
                            "exact_places": r.exact_places} for r in rows}

    def codings_of_source(self, source_id: int) -> list[dict[str, Any]]:
        rows = self.orm.execute(
            select(CodingRow, CaseRow.pseudonym)
            .outerjoin(CaseRow, CaseRow.id == CodingRow.case_id)
            .where(CodingRow.source_id == source_id).order_by(CodingRow.start, CodingRow.code))
        return [{"id": c.id, "start": c.start, "end": c.end, "code": c.code,
                 "case": pseudonym, "coder": c.coder, "coder_kind": c.coder_kind,
                 "confidence": c.confidence, "status": c.status, "salience": c.salience,
                 "memo": c.memo}
                for c, pseudonym in rows]

    def decisions(self, source_ids: Sequence[int]) -> list[dict[str, Any]]:
        """The consensus's codings on these sources, with who decided each and when."""
        found: list[dict[str, Any]] = []
        for chunk in _chunks(sorted(set(source_ids)), 500):
            rows = self.orm.execute(
                select(CodingRow, CaseRow.pseudonym)
                .outerjoin(CaseRow, CaseRow.id == CodingRow.case_id)
                .where(CodingRow.coder == CONSENSUS, CodingRow.source_id.in_(chunk))
                .order_by(CodingRow.source_id, CodingRow.start, CodingRow.id))
            found += [{"id": c.id, "source_id": c.source_id, "start": c.start, "end": c.end,
                       "code": c.code, "case_id": c.case_id, "case": pseudonym,
                       "status": c.status, "memo": c.memo, "decided_by": c.decided_by,
                       "decided_at": c.created_at.isoformat()} for c, pseudonym in rows]
        return found

    def shared_sources(self, coders: Sequence[str]) -> list[int]:
        """Sources two or more of ``coders`` coded (accepted codings)."""
        return list(self.orm.scalars(
            select(CodingRow.source_id)
            .where(CodingRow.coder.in_(list(coders)), CodingRow.status == "accepted")
            .group_by(CodingRow.source_id)
            .having(func.count(CodingRow.coder.distinct()) >= 2)
            .order_by(CodingRow.source_id)))

    def consensus_summary(self) -> dict[str, Any]:
        """How far coders were reconciled: sources decided on, consensus codings by status,
        and who decided."""
        mine = CodingRow.coder == CONSENSUS
        sources = self.orm.scalar(select(func.count(CodingRow.source_id.distinct()))
                                  .where(mine)) or 0
        statuses = {status: n for status, n in self.orm.execute(
            select(CodingRow.status, func.count()).where(mine).group_by(CodingRow.status))}
        people = sorted(p for p in self.orm.scalars(select(CodingRow.decided_by).distinct()
                                                    .where(mine)) if p)
        return {"sources": sources, "there": statuses.get("accepted", 0),
                "absent": statuses.get("rejected", 0), "decided_by": people}

    def pseudonyms(self, case_ids: Sequence[int]) -> dict[int, str]:
        return self._by_id(CaseRow.id, CaseRow.pseudonym, case_ids)

    def _by_id(self, key: Any, value: Any, ids: Sequence[int]) -> dict[int, Any]:
        """``value`` of the rows whose ``key`` is one of ``ids``, read in chunks."""
        found: dict[int, Any] = {}
        for chunk in _chunks(sorted(set(ids)), 500):
            found.update(self.orm.execute(select(key, value).where(key.in_(chunk)))
                         .tuples().all())
        return found

    def coding(self, coding_id: int) -> dict[str, Any]:
        """One coding with its case's pseudonym and memo; NotFoundError if there is none."""
        row = self.orm.execute(
            select(CodingRow, CaseRow.pseudonym)
            .outerjoin(CaseRow, CaseRow.id == CodingRow.case_id)
            .where(CodingRow.id == coding_id)).first()
        if row is None:
            raise NotFoundError(f"there is no coding {coding_id}")
        c, pseudonym = row
        return {"id": c.id, "source_id": c.source_id, "start": c.start, "end": c.end,
                "code": c.code, "case_id": c.case_id, "case": pseudonym, "coder": c.coder,
                "coder_kind": c.coder_kind, "user_id": c.user_id,
                "confidence": c.confidence, "status": c.status, "salience": c.salience,
                "memo": c.memo, "codebook_version_id": c.codebook_version_id,
                "decided_by": c.decided_by, "updated_at": c.updated_at.isoformat()}

    def codings_of_cases(self, case_ids: Sequence[int]) -> list[dict[str, Any]]:
        rows = self.orm.scalars(select(CodingRow).where(CodingRow.case_id.in_(list(case_ids)))
                                .order_by(CodingRow.source_id, CodingRow.start))
        return [{"id": c.id, "source_id": c.source_id, "start": c.start, "end": c.end,
                 "code": c.code, "coder": c.coder, "status": c.status,
                 "confidence": c.confidence, "salience": c.salience} for c in rows]

    def recode(self, old: str, new: str, *, keep_tail: bool) -> int:
        """Codings of ``old`` and its sub-codes now carry ``new``; with ``keep_tail`` a
        sub-code keeps its own tail under ``new`` (a move), else it folds into ``new`` (a
        merge). Returns how many codings changed."""
        value = (literal(new, String) + func.substr(CodingRow.code, len(old) + 1)
                 if keep_tail else literal(new, String))
        result = self.orm.execute(
            update(CodingRow)
            .where((CodingRow.code == old) | CodingRow.code.startswith(old + ".", autoescape=True))
            .values(code=value, updated_at=utcnow()))
        return int(result.rowcount)  # type: ignore[attr-defined]

    def update_coding(self, coding_id: int, values: dict[str, Any], *,
                      status: str | None = None) -> bool:
        """Change a coding (only if its status is still ``status``, when given); returns
        whether it changed, so two people deciding at once cannot both win."""
        query = update(CodingRow).where(CodingRow.id == coding_id)
        if status is not None:
            query = query.where(CodingRow.status == status)
        result = self.orm.execute(query.values(**values, updated_at=utcnow()))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def delete_coding(self, coding_id: int) -> bool:
        result = self.orm.execute(delete(CodingRow).where(CodingRow.id == coding_id))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def case_id_of(self, pseudonym: str) -> int:
        found = self.orm.scalar(select(CaseRow.id).where(CaseRow.pseudonym == pseudonym))
        if found is None:
            raise NotFoundError(f"there is no case {pseudonym}")
        return found

    def link_case(self, case_id: int, source_id: int) -> None:
        exists = self.orm.scalar(select(CaseSourceRow.case_id).where(
            CaseSourceRow.case_id == case_id, CaseSourceRow.source_id == source_id))
        if exists is None:
            self.orm.add(CaseSourceRow(case_id=case_id, source_id=source_id))

    def cases_of_source(self, source_id: int) -> list[dict[str, Any]]:
        rows = self.orm.execute(
            select(CaseRow.id, CaseRow.pseudonym, CaseRow.collective, CaseRow.gender,
                   CaseRow.country_of_origin)
            .join(CaseSourceRow, CaseSourceRow.case_id == CaseRow.id)
            .where(CaseSourceRow.source_id == source_id).order_by(CaseRow.id))
        return [dict(r._mapping) for r in rows]

    def review_queue(self, *, limit: int, offset: int = 0, code: str | None = None,
                     hidden: Sequence[int] = ()) -> tuple[list[dict[str, Any]], int]:
        """Machine suggestions, the least certain first (confidence nearest 0.5), leaving out
        the ``hidden`` sources."""
        query = (select(CodingRow.id).where(CodingRow.status == "suggested",
                                            CodingRow.coder_kind == "machine"))
        if hidden:
            query = query.where(CodingRow.source_id.not_in(list(hidden)))
        if code:
            query = query.where((CodingRow.code == code)
                                | CodingRow.code.startswith(f"{code}.", autoescape=True))
        total = self.orm.scalar(select(func.count()).select_from(query.subquery())) or 0
        ids = list(self.orm.scalars(query.order_by(UNCERTAINTY, CodingRow.id)
                                    .limit(limit).offset(offset)))
        return [self.coding(i) for i in ids], total

    def list_cases(self, *, limit: int = 100, offset: int = 0
                   ) -> tuple[list[dict[str, Any]], int]:
        """Cases with their attributes (no restricted field), sources and codes cited."""
        total = self.orm.scalar(select(func.count()).select_from(CaseRow)) or 0
        rows = list(self.orm.scalars(select(CaseRow).order_by(CaseRow.id).limit(limit)
                                     .offset(offset)))
        ids = [r.id for r in rows]
        sources: dict[int, list[int]] = {}
        for case_id, source_id in self.orm.execute(select(
                CaseSourceRow.case_id, CaseSourceRow.source_id).where(
                CaseSourceRow.case_id.in_(ids))):
            sources.setdefault(case_id, []).append(source_id)
        codes: dict[int, dict[str, str]] = {}
        for case_id, code, status in self.orm.execute(select(
                CodingRow.case_id, CodingRow.code, CodingRow.status).where(
                CodingRow.case_id.in_(ids), CodingRow.status != "rejected")):
            seen = codes.setdefault(case_id, {})
            if seen.get(code) != "accepted":
                seen[code] = status
        return [{"id": r.id, "pseudonym": r.pseudonym, "collective": r.collective,
                 "label": r.label, "gender": r.gender, "country_of_origin": r.country_of_origin,
                 "group_left": r.group_left, "created_by": r.created_by,
                 "sources": sorted(sources.get(r.id, [])), "codes": codes.get(r.id, {})}
                for r in rows], total

    def case(self, pseudonym: str) -> dict[str, Any]:
        """A case's unrestricted fields and the ids of its sources."""
        row = self.orm.scalar(select(CaseRow).where(CaseRow.pseudonym == pseudonym))
        if row is None:
            raise NotFoundError(f"there is no case {pseudonym}")
        out = {f: getattr(row, f) for f in self.CASE_FIELDS}
        out["source_ids"] = sorted(self.orm.scalars(select(CaseSourceRow.source_id).where(
            CaseSourceRow.case_id == row.id)))
        return out

    def update_case(self, case_id: int, values: dict[str, Any]) -> None:
        self.orm.execute(update(CaseRow).where(CaseRow.id == case_id)
                         .values(**values, updated_at=utcnow()))

    def identity(self, case_id: int) -> dict[str, Any]:
        row = self.orm.get(CaseIdentityRow, case_id)
        if row is None:
            return {"names": [], "aliases": [], "exact_places": [], "photo_refs": [],
                    "notes": None}
        return {"names": row.names, "aliases": row.aliases, "exact_places": row.exact_places,
                "photo_refs": row.photo_refs, "notes": row.notes}

    def set_identity(self, case_id: int, values: dict[str, Any]) -> None:
        row = self.orm.get(CaseIdentityRow, case_id)
        if row is None:
            row = CaseIdentityRow(case_id=case_id, names=[], aliases=[], exact_places=[],
                                  photo_refs=[])
            self.orm.add(row)
        for key, value in values.items():
            setattr(row, key, value)
        self.orm.flush()

    def merge_cases(self, keep: int, gone: int) -> dict[str, int]:
        """Move ``gone``'s codings, sources and identity to ``keep``, then delete ``gone``."""
        moved = self.orm.execute(update(CodingRow).where(CodingRow.case_id == gone)
                                 .values(case_id=keep, updated_at=utcnow()))
        for source_id in self.orm.scalars(select(CaseSourceRow.source_id).where(
                CaseSourceRow.case_id == gone)):
            self.link_case(keep, source_id)
        self.orm.flush()
        kept, lost = self.identity(keep), self.identity(gone)
        union = {k: list(dict.fromkeys([*kept[k], *lost[k]]))
                 for k in ("names", "aliases", "exact_places", "photo_refs")}
        notes = "\n".join(n for n in (kept["notes"], lost["notes"]) if n) or None
        self.set_identity(keep, {**union, "notes": notes})
        self.orm.execute(delete(CaseRow).where(CaseRow.id == gone))
        return {"codings": int(moved.rowcount)}  # type: ignore[attr-defined]

    def accepted_codings(self) -> list[dict[str, Any]]:
        rows = self.orm.execute(select(CodingRow.source_id, CodingRow.start, CodingRow.end,
                                       CodingRow.code).where(CodingRow.status == "accepted"))
        return [{"source_id": r[0], "start": r[1], "end": r[2], "code": r[3]} for r in rows]

    # -- findings ------------------------------------------------------------------------------

    CASE_FIELDS = ("id", "pseudonym", "label", "collective", "gender", "birth_year", "age_band",
                   "country_of_origin", "citizenship", "local_or_foreign", "group_left",
                   "roles", "join_date", "join_date_precision", "exit_date",
                   "exit_date_precision", "exit_type", "exit_route", "account_date",
                   "account_medium", "current_status", "post_exit_stance", "reprisal_risk",
                   "notes", "created_by")
    SOURCE_FIELDS = ("id", "origin", "locator", "title", "url", "outlet", "author", "published",
                     "language", "medium", "relevant", "relevance")
    CODING_FIELDS = ("id", "source_id", "case_id", "code", "start", "end", "status",
                     "confidence", "salience", "coder", "coder_kind", "codebook_version_id",
                     "created_at", "updated_at")

    def case_table(self) -> Table:
        """Every case's unrestricted fields (booleans may come as 0/1)."""
        return Table(self.CASE_FIELDS, self._raw_rows(
            select(*(getattr(CaseRow, f) for f in self.CASE_FIELDS)).order_by(CaseRow.id)))

    def case_link_table(self) -> Table:
        """Which sources each case is described in: case_id, source_id."""
        return Table(("case_id", "source_id"), self._raw_rows(
            select(CaseSourceRow.case_id, CaseSourceRow.source_id)
            .order_by(CaseSourceRow.case_id, CaseSourceRow.source_id)))

    def case_code_table(self, statuses: Sequence[str]) -> Table:
        """Each case and each code of its counted codings with one of ``statuses``, once."""
        return Table(("case_id", "code"), self._raw_rows(
            select(CodingRow.case_id, CodingRow.code).distinct()
            .where(CodingRow.status.in_(list(statuses)), CodingRow.case_id.is_not(None),
                   _counted())))

    def source_table(self, ids: Sequence[int] | None = None) -> Table:
        """Sources' metadata (not their text); all, or ``ids``."""
        query = select(*(getattr(SourceRow, f) for f in self.SOURCE_FIELDS))
        if ids is None:
            return Table(self.SOURCE_FIELDS, self._raw_rows(query.order_by(SourceRow.id)))
        rows: list[tuple[Any, ...]] = []
        for chunk in _chunks(sorted(set(ids)), 500):
            rows += self._raw_rows(query.where(SourceRow.id.in_(chunk)))
        return Table(self.SOURCE_FIELDS, sorted(rows))

    def coding_table(self, statuses: Sequence[str], *, counted: bool = False,
                     coders: Sequence[str] | None = None,
                     source_ids: Sequence[int] | None = None) -> Table:
        """Codings with one of ``statuses`` (spans, no text), dates as datetimes; with
        ``counted``, only those findings count (see ``_counted``); only by ``coders`` or on
        ``source_ids`` if given."""
        query = select(*(getattr(CodingRow, f) for f in self.CODING_FIELDS)).where(
            CodingRow.status.in_(list(statuses)))
        if counted:
            query = query.where(_counted())
        if coders is not None:
            query = query.where(CodingRow.coder.in_(list(coders)))
        if source_ids is None:
            return Table(self.CODING_FIELDS, [tuple(r) for r in self.orm.execute(
                query.order_by(CodingRow.id))])
        rows: list[tuple[Any, ...]] = []
        for chunk in _chunks(sorted(set(source_ids)), 5000):
            rows += [tuple(r) for r in self.orm.execute(
                query.where(CodingRow.source_id.in_(chunk)))]
        return Table(self.CODING_FIELDS, sorted(rows))

    def _raw_rows(self, query: Any) -> list[tuple[Any, ...]]:
        """Rows straight from the DBAPI cursor (a million in a second, not five), for columns
        of numbers, text and booleans (SQLite gives 0/1): no dates, whose parsing differs by
        driver."""
        connection = self.orm.connection()
        compiled = query.compile(dialect=connection.dialect,
                                 compile_kwargs={"render_postcompile": True})
        params = compiled.construct_params()
        positional = compiled.positiontup
        values: Any = params if positional is None else tuple(params[n] for n in positional)
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(str(compiled), values)
            return list(cursor.fetchall())
        finally:
            cursor.close()

    def source_texts(self, ids: Sequence[int]) -> dict[int, str]:
        return self._by_id(SourceRow.id, SourceRow.text, ids)

    # -- users and web sessions -----------------------------------------------------------------

    USER_FIELDS = ("id", "username", "display_name", "role", "active", "created_at")

    def add_user(self, *, username: str, role: str, password_hash: str,
                 display_name: str | None = None) -> int:
        if self.orm.scalar(select(UserRow.id).where(UserRow.username == username)):
            raise StoreError(f"there is already a user '{username}'; see `exitlens users list`")
        row = UserRow(username=username, role=role, password_hash=password_hash,
                      display_name=display_name, active=True)
        self.orm.add(row)
        self.orm.flush()
        return row.id

    def user(self, username: str) -> dict[str, Any] | None:
        """A user with its password hash (for signing in), or None."""
        row = self.orm.scalar(select(UserRow).where(UserRow.username == username))
        if row is None:
            return None
        return {f: getattr(row, f) for f in self.USER_FIELDS} | {
            "password_hash": row.password_hash}

    def users(self) -> list[dict[str, Any]]:
        rows = self.orm.scalars(select(UserRow).order_by(UserRow.username))
        return [{f: getattr(r, f) for f in self.USER_FIELDS} for r in rows]

    def update_user(self, username: str, **values: Any) -> dict[str, Any]:
        """Change a user's columns; returns what they were."""
        row = self.orm.scalar(select(UserRow).where(UserRow.username == username))
        if row is None:
            raise NotFoundError(f"there is no user '{username}'; see `exitlens users list`")
        before = {k: getattr(row, k) for k in values}
        for key, value in values.items():
            setattr(row, key, value)
        self.orm.flush()
        return before

    def add_web_session(self, *, token_hash: str, user_id: int, csrf: str,
                        expires_at: datetime) -> None:
        self.orm.add(WebSessionRow(id=token_hash, user_id=user_id, csrf=csrf,
                                   expires_at=expires_at))

    def web_session(self, token_hash: str, now: datetime) -> dict[str, Any] | None:
        """The live session with this token hash and its active user, or None."""
        row = self.orm.execute(
            select(WebSessionRow, UserRow).join(UserRow, UserRow.id == WebSessionRow.user_id)
            .where(WebSessionRow.id == token_hash, UserRow.active)).first()
        if row is None:
            return None
        session, user = row
        expires = session.expires_at
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        if expires <= now:
            return None
        return {"csrf": session.csrf, "expires_at": expires,
                "user": {f: getattr(user, f) for f in self.USER_FIELDS}}

    def end_web_sessions(self, *, token_hash: str | None = None,
                         user_id: int | None = None) -> None:
        query = delete(WebSessionRow)
        if token_hash is not None:
            query = query.where(WebSessionRow.id == token_hash)
        if user_id is not None:
            query = query.where(WebSessionRow.user_id == user_id)
        self.orm.execute(query)

    def count_events(self, *, action: str, entity_id: str, since: datetime) -> int:
        return self.orm.scalar(select(func.count()).select_from(EventRow).where(
            EventRow.action == action, EventRow.entity_id == entity_id,
            EventRow.at >= since)) or 0

    # -- codebooks ------------------------------------------------------------------------------

    def add_codebook_version(self, *, key: str, version: str, name: str, content: str,
                             sha256: str, actor: str, codes: Sequence[dict[str, Any]],
                             activate: bool = True) -> int:
        existing = self.orm.scalar(select(CodebookVersionRow).where(
            CodebookVersionRow.key == key, CodebookVersionRow.version == version))
        if existing is not None:
            if existing.sha256 != sha256:
                raise StoreError(f"codebook '{key}' version {version} is already stored with "
                                 "different content; raise the 'version' field in the file")
            row_id = existing.id
        else:
            row = CodebookVersionRow(key=key, version=version, name=name, content=content,
                                     sha256=sha256, created_by=actor, active=False)
            self.orm.add(row)
            self.orm.flush()
            row_id = row.id
            if codes:
                self.orm.execute(insert(CodeRow),
                                 [{**c, "codebook_version_id": row_id} for c in codes])
        if activate:
            self.orm.execute(update(CodebookVersionRow).values(
                active=CodebookVersionRow.id == row_id))
        return row_id

    def active_codebook(self) -> tuple[int, str] | None:
        row = self.orm.scalar(select(CodebookVersionRow).where(CodebookVersionRow.active))
        return (row.id, row.content) if row else None

    def codebook_versions(self) -> list[dict[str, Any]]:
        rows = self.orm.scalars(select(CodebookVersionRow).order_by(CodebookVersionRow.id))
        return [{"id": r.id, "key": r.key, "version": r.version, "name": r.name,
                 "active": r.active, "created_by": r.created_by,
                 "created_at": r.created_at.isoformat()} for r in rows]


def _counted() -> Any:
    """The codings findings count: on a source the consensus has decided on, only the
    consensus's (its decisions supersede the coders it reconciles, and the machine); on any
    other source, all."""
    decided = aliased(CodingRow)  # not correlated with the outer codings
    reconciled = select(decided.source_id).where(decided.coder == CONSENSUS).distinct()
    return (CodingRow.coder == CONSENSUS) | CodingRow.source_id.not_in(reconciled)


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _source(row: SourceRow) -> Source:
    imported = row.imported_at
    if imported.tzinfo is None:
        imported = imported.replace(tzinfo=UTC)
    return Source(id=row.id, sha256=row.sha256, text=row.text, origin=row.origin,
                  format=row.format, imported_at=imported.isoformat(timespec="seconds"),
                  locator=row.locator, title=row.title, url=row.url, outlet=row.outlet,
                  author=row.author, published=row.published, language=row.language,
                  language_confidence=row.language_confidence, medium=row.medium,
                  near_duplicate_of=row.near_duplicate_of,
                  near_duplicate_score=row.near_duplicate_score, extra=dict(row.extra or {}),
                  relevance=row.relevance, relevant=row.relevant,
                  analysis_note=row.analysis_note)


__all__ = ["Store", "StoreSession", "normalise_url", "sqlite_url"]
