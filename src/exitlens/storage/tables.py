"""SQLAlchemy tables. Changing anything here needs an Alembic migration (tests compare both)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    literal_column,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

JsonType = JSON().with_variant(JSONB(), "postgresql")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JsonType,
                                                     list[Any]: JsonType}


class ImportBatch(Base):
    __tablename__ = "import_batches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    arguments: Mapped[dict[str, Any]] = mapped_column(default=dict)
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)


class SourceRow(Base):
    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    text: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(300))
    author: Mapped[str | None] = mapped_column(String(300))
    published: Mapped[str | None] = mapped_column(String(10), index=True)
    language: Mapped[str | None] = mapped_column(String(12), index=True)
    language_confidence: Mapped[float | None] = mapped_column(Float)
    medium: Mapped[str | None] = mapped_column(String(40))
    origin: Mapped[str] = mapped_column(Text)
    locator: Mapped[str | None] = mapped_column(String(100))
    format: Mapped[str] = mapped_column(String(12))
    chars: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"), index=True)
    near_duplicate_of: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"))
    near_duplicate_score: Mapped[float | None] = mapped_column(Float)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    relevance: Mapped[float | None] = mapped_column(Float)
    relevant: Mapped[bool | None] = mapped_column(Boolean, index=True)
    analysed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    analysis_model: Mapped[str | None] = mapped_column(String(200))
    analysis_note: Mapped[str | None] = mapped_column(Text)


class SourceBucket(Base):
    """Locality-sensitive hashing buckets of each source's MinHash, for near-duplicates."""

    __tablename__ = "source_buckets"
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    bucket: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True, index=True)


class CodebookVersionRow(Base):
    __tablename__ = "codebook_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    __table_args__ = (UniqueConstraint("key", "version", name="uq_codebook_versions_key_version"),)


class CodeRow(Base):
    __tablename__ = "codes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    codebook_version_id: Mapped[int] = mapped_column(
        ForeignKey("codebook_versions.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(200))
    top: Mapped[str] = mapped_column(String(200))
    parent: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(300))
    group: Mapped[str | None] = mapped_column(String(100))
    colour: Mapped[str | None] = mapped_column(String(7))
    definition: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    __table_args__ = (
        UniqueConstraint("codebook_version_id", "code", name="uq_codes_version_code"),
        CheckConstraint("kind IN ('reason', 'context')", name="kind"),
    )


class UserRow(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10))
    password_hash: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    __table_args__ = (CheckConstraint("role IN ('admin', 'coder', 'viewer')", name="role"),)


class SampleRow(Base):
    """Sources drawn for double coding by assigned coders; while a blind sample is open its
    coders see only their own codings on its sources, and no machine suggestion."""

    __tablename__ = "samples"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    blind: Mapped[bool] = mapped_column(Boolean, default=True)
    seed: Mapped[int] = mapped_column(Integer)
    stratify: Mapped[str | None] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SampleSourceRow(Base):
    __tablename__ = "sample_sources"
    sample_id: Mapped[int] = mapped_column(ForeignKey("samples.id", ondelete="CASCADE"),
                                           primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"),
                                           primary_key=True, index=True)


class SampleCoderRow(Base):
    __tablename__ = "sample_coders"
    sample_id: Mapped[int] = mapped_column(ForeignKey("samples.id", ondelete="CASCADE"),
                                           primary_key=True)
    username: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class CodeStateRow(Base):
    """How far the machine is trusted with a top-level code (DOMAIN.md section 7): 'auto'
    (alpha >= 0.80 against people: its codings are accepted), 'suggest' (0.667 to 0.80: offered
    for review) or 'off' (below: not suggested)."""

    __tablename__ = "code_states"
    code: Mapped[str] = mapped_column(String(200), primary_key=True)
    state: Mapped[str] = mapped_column(String(10))
    alpha: Mapped[float | None] = mapped_column(Float)
    machine: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str] = mapped_column(String(200))
    units: Mapped[int] = mapped_column(Integer)
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    __table_args__ = (CheckConstraint("state IN ('auto', 'suggest', 'off')", name="state"),)


class WebSessionRow(Base):
    """A signed-in browser: the hash of its cookie's token (never the token), its user, the
    token its forms and API calls must echo (CSRF), and when it expires."""

    __tablename__ = "web_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class CaseRow(Base):
    """A person (or a collective case). Pseudonymous; identifying fields live in CaseIdentity."""

    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str | None] = mapped_column(String(300))
    collective: Mapped[bool] = mapped_column(Boolean, default=False)
    gender: Mapped[str] = mapped_column(String(20), default="unknown")
    birth_year: Mapped[int | None] = mapped_column(Integer)
    age_band: Mapped[str | None] = mapped_column(String(20))
    country_of_origin: Mapped[str | None] = mapped_column(String(20))
    citizenship: Mapped[str | None] = mapped_column(String(20))
    local_or_foreign: Mapped[str | None] = mapped_column(String(20))
    group_left: Mapped[str | None] = mapped_column(String(200))
    roles: Mapped[str | None] = mapped_column(Text)
    join_date: Mapped[str | None] = mapped_column(String(10))
    join_date_precision: Mapped[str | None] = mapped_column(String(10))
    exit_date: Mapped[str | None] = mapped_column(String(10))
    exit_date_precision: Mapped[str | None] = mapped_column(String(10))
    exit_type: Mapped[str | None] = mapped_column(String(20))
    exit_route: Mapped[str | None] = mapped_column(Text)
    account_date: Mapped[str | None] = mapped_column(String(10))
    account_medium: Mapped[str | None] = mapped_column(String(40))
    current_status: Mapped[str | None] = mapped_column(String(100))
    post_exit_stance: Mapped[str | None] = mapped_column(String(100))
    reprisal_risk: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200), default="unknown")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    __table_args__ = (
        CheckConstraint("gender IN ('female', 'male', 'unknown', 'not_applicable')",
                        name="gender"),
    )


class CaseIdentityRow(Base):
    """Restricted identifying fields: administrators only, never in exports by default."""

    __tablename__ = "case_identities"
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                         primary_key=True)
    names: Mapped[list[Any]] = mapped_column(default=list)
    aliases: Mapped[list[Any]] = mapped_column(default=list)
    exact_places: Mapped[list[Any]] = mapped_column(default=list)
    photo_refs: Mapped[list[Any]] = mapped_column(default=list)
    notes: Mapped[str | None] = mapped_column(Text)


class CaseSourceRow(Base):
    __tablename__ = "case_sources"
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                         primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"),
                                           primary_key=True, index=True)


class CodingRow(Base):
    __tablename__ = "codings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"),
                                           index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(200), index=True)
    codebook_version_id: Mapped[int] = mapped_column(ForeignKey("codebook_versions.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"),
                                                index=True)
    coder: Mapped[str] = mapped_column(String(200))
    coder_kind: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    confidence: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(12), default="suggested", index=True)
    salience: Mapped[int | None] = mapped_column(Integer)
    memo: Mapped[str | None] = mapped_column(Text)
    #: of a consensus coding: the person who decided it (the time is created_at)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    __table_args__ = (
        CheckConstraint("start >= 0 AND \"end\" > start", name="span"),
        CheckConstraint("status IN ('suggested', 'accepted', 'rejected')", name="status"),
        CheckConstraint("coder_kind IN ('human', 'machine')", name="coder_kind"),
        CheckConstraint("salience IS NULL OR salience BETWEEN 1 AND 3", name="salience"),
        CheckConstraint("confidence IS NULL OR (confidence >= 0 AND confidence <= 1)",
                        name="confidence"),
        Index("ix_codings_source_span", "source_id", "start", "end"),
        # covers the findings' read of each case's codes, with what `_counted` asks
        Index("ix_codings_status_case_code", "status", "case_id", "code", "coder",
              "source_id"),
        Index("ix_codings_coder_source", "coder", "source_id"),
    )


#: how far a machine suggestion is from certain; the review queue shows the least certain first
#: (literal numbers, not bound parameters, or the database cannot match the index)
UNCERTAINTY = func.abs(func.coalesce(CodingRow.confidence, literal_column("0.5"))
                       - literal_column("0.5"))
Index("ix_codings_review", CodingRow.status, CodingRow.coder_kind, UNCERTAINTY, CodingRow.id)


class MemoRow(Base):
    __tablename__ = "memos"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    coding_id: Mapped[int | None] = mapped_column(ForeignKey("codings.id", ondelete="CASCADE"))
    code: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EventRow(Base):
    """Append-only audit log: database triggers refuse UPDATE and DELETE."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(60))
    before: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    after: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    __table_args__ = (Index("ix_events_entity", "entity", "entity_id"),)
