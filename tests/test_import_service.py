"""Importing through the service on SQLite and PostgreSQL: duplicates, near-duplicates,
bad files in a batch, and all-or-nothing writes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from tests.conftest import CORPUS

from exitlens.ingest import ReadOptions
from exitlens.services import imports
from exitlens.services.imports import import_paths
from exitlens.storage import Store, StoreSession

ACCOUNT = ("Fictional account. Omar, a 24-year-old from Sfax, told the reporter that he had "
           "walked out after the emir of his unit kept the salaries for himself while the men "
           "ate bread and lentils for weeks. 'They had promised a house and a wage; we got a "
           "mattress on a floor and nothing else,' he said. He was also sickened by the public "
           "punishments in the market square of people who had done nothing. Now he speaks to "
           "schools so that younger people do not make the same journey, and he asked that his "
           "family's town not be named because he fears for his mother.")


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "inputs"
    folder.mkdir()
    return folder


def _run(store: Store, *paths: Path | str, **kw: object) -> imports.ImportReport:
    return import_paths(store, [str(p) for p in paths], actor="tester", options=ReadOptions(),
                        **kw)  # type: ignore[arg-type]


def test_importing_the_examples_twice_adds_nothing_the_second_time(store: Store) -> None:
    first = _run(store, CORPUS)
    files = sorted(p for p in CORPUS.iterdir() if not p.name.startswith("."))
    assert len(first.added) == len(files) >= 60
    assert not first.errors and not first.duplicates
    second = _run(store, CORPUS)
    assert second.added == [] and len(second.duplicates) == len(files)
    with store.session() as tx:
        counts = tx.counts()
        assert counts["sources"] == len(files) and counts["imports"] == 2
        languages = tx.count_by("language")
        assert {"en", "fr", "de"} <= set(languages)
        source = tx.get_source(first.added[0])
        assert source.origin.endswith(files[0].name) and source.extra.get("fictional") is True


def test_duplicates_inside_one_batch_and_near_duplicates(store: Store, inputs: Path) -> None:
    (inputs / "a.txt").write_text(ACCOUNT, encoding="utf-8")
    (inputs / "b.txt").write_text(ACCOUNT, encoding="utf-8")
    edited = ACCOUNT.replace("schools", "youth clubs")
    (inputs / "c.txt").write_text(edited + " (Updated 3 June.)", encoding="utf-8")
    (inputs / "d.txt").write_text("Fictional. A wholly different story about a harbour "
                                    "festival and its boats, with nothing in common at all.",
                                    encoding="utf-8")
    report = _run(store, inputs)
    assert len(report.added) == 3
    assert report.duplicates == [(str(inputs / "b.txt"), str(inputs / "a.txt"))]
    [(name, of, score)] = report.near_duplicates
    assert name == str(inputs / "c.txt") and of == report.added[0] and score >= 0.8
    later = inputs / "later"
    later.mkdir()
    (later / "e.txt").write_text(edited.replace("mattress", "thin mattress"), encoding="utf-8")
    again = _run(store, later)
    assert [of for _, of, _ in again.near_duplicates] in ([report.added[0]], [report.added[1]])
    with store.session() as tx:
        stored = tx.get_source(again.added[0])
        assert stored.near_duplicate_of is not None and stored.near_duplicate_score >= 0.8


def test_bad_files_are_reported_and_the_rest_imports(store: Store, inputs: Path,
                                                     tmp_path: Path) -> None:
    earlier = tmp_path / "earlier.txt"
    earlier.write_text("Fictional: an account imported before, which must survive.",
                       encoding="utf-8")
    [kept] = _run(store, earlier).added
    (inputs / "good.txt").write_text(ACCOUNT, encoding="utf-8")
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "latin.txt").write_bytes("Caf\xe9 talk about leaving.".encode("cp1252"))
    (inputs / "table.csv").write_text("headline,body\nA,Fictional: he left.\nB,\n",
                                        encoding="utf-8")
    (inputs / "nocol.csv").write_text("headline,words\nA,he left\n", encoding="utf-8")
    (inputs / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    report = _run(store, inputs, inputs / "missing.txt")
    by_file = {Path(p.origin).name: p for p in report.problems}
    assert "empty" in by_file["empty.txt"].reason
    assert "--encoding" in by_file["latin.txt"].reason
    assert "--text-column" in by_file["nocol.csv"].reason
    assert by_file["photo.jpg"].severity == "skipped"
    assert "no such file" in by_file["missing.txt"].reason
    assert by_file["table.csv"].severity == "warning" and by_file["table.csv"].line == 3
    assert len(report.added) == 2 and report.counts()["errors"] == 4
    with store.session() as tx:
        origins = sorted(Path(s.origin).name for s in tx.list_sources()[0])
        assert tx.get_source(kept).text.endswith("which must survive.")
    assert origins == ["earlier.txt", "good.txt", "table.csv"]


def test_a_failing_write_leaves_no_half_written_chunk(store: Store, inputs: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(3):
        (inputs / f"{i}.txt").write_text(f"{ACCOUNT} Number {i} of three.", encoding="utf-8")
    original = StoreSession.log_events

    def fail_after_inserting(self: StoreSession, events: list[dict[str, object]]) -> None:
        if any(e["action"] == "source.add" for e in events):
            raise RuntimeError("disk full")
        original(self, events)

    monkeypatch.setattr(StoreSession, "log_events", fail_after_inserting)
    with pytest.raises(RuntimeError, match="disk full"):
        _run(store, inputs)
    monkeypatch.setattr(StoreSession, "log_events", original)
    with store.session() as tx:
        assert tx.counts()["sources"] == 0
    assert len(_run(store, inputs).added) == 3


def test_every_added_source_is_in_the_event_log(store: Store, inputs: Path) -> None:
    (inputs / "one.txt").write_text(ACCOUNT, encoding="utf-8")
    report = _run(store, inputs)
    with store.session() as tx:
        events = tx.events(action="source.add")
        finish = tx.events(action="import.finish")
    assert [e["entity_id"] for e in events] == [str(report.added[0])]
    assert events[0]["actor"] == "tester" and events[0]["after"]["sha256"]
    assert finish[0]["after"]["sources_added"] == 1


def test_chunks_keep_files_whole(store: Store, inputs: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "CHUNK_DOCUMENTS", 2)
    with (inputs / "a.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "text"])
        writer.writerows([f"row {i}", ACCOUNT.replace("Omar", f"Person {i}")] for i in range(5))
    (inputs / "b.txt").write_text("Fictional: a short, different note on leaving a cell.",
                                    encoding="utf-8")
    report = _run(store, inputs, near_threshold=1.0)
    assert len(report.added) == 6 and report.files_imported == 2
