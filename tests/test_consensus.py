"""Reconciling two coders whose disagreements are made on purpose (the example corpus's gold
labels as coder "gold"; the same without corruption on every third source that has it, as
"bo"): the units where they differ, decisions stored as the coder "consensus" with who and
when, adopting what they agree on, and findings counting the consensus (SQLite and
PostgreSQL)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.findings_data import load_gold_as_accepted, new_store

from exitlens.errors import PermissionDenied, UsageError
from exitlens.records import CONSENSUS
from exitlens.services import consensus
from exitlens.services.agreement import agreement
from exitlens.services.codings_io import export_codings, import_codings
from exitlens.services.findings import build_findings
from exitlens.services.users import User, add_user
from exitlens.storage import Store

LEAD = User(0, "lead", "admin")  # as the shell's administrator: no account


def make_two_coders(store: Store, folder: Path) -> list[dict[str, str]]:
    """bo's codings: gold's, less corruption on every third source with it; gives the gold
    corruption rows bo left out."""
    load_gold_as_accepted(store)
    rows = list(csv.DictReader(io.StringIO(export_codings(store, coder="gold"))))
    with_corruption = sorted({r["source"] for r in rows if r["code"] == "corruption"})
    dropped = set(with_corruption[::3])
    left_out = [r for r in rows if r["code"] == "corruption" and r["source"] in dropped]
    path = folder / "bo.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["source", "start", "end", "code", "case"])
        writer.writeheader()
        writer.writerows({k: r[k] for k in writer.fieldnames} for r in rows
                         if r not in left_out)
    import_codings(store, path, coder="bo", actor="test")
    return left_out


@pytest.fixture
def team(db_url: str, tmp_path: Path) -> Iterator[tuple[Store, list[dict[str, str]]]]:
    with new_store(db_url) as store:
        left_out = make_two_coders(store, tmp_path)
        yield store, left_out


def _spans(rows: list[dict[str, str]]) -> set[tuple[str, int, int]]:
    return {(r["source"], int(r["start"]), int(r["end"])) for r in rows}


def test_units_decisions_adoption_and_findings(team: Any) -> None:
    store, left_out = team
    gold_spans = _spans(left_out)
    found = consensus.units(store, LEAD, coders=["bo", "gold"])
    # every corruption span bo left out is one open unit where only gold marked it
    assert found["total"] == found["counts"]["open"] == len(gold_spans)
    assert found["counts"]["decided"] == 0
    assert {u["differ"] for u in found["units"]} == {"presence"}
    assert all(u["code"] == "corruption" and not u["marks"]["bo"] and len(u["marks"]["gold"])
               for u in found["units"])
    first = found["units"][0]
    second = next(u for u in found["units"] if u["source_id"] != first["source_id"])
    assert first["text"] and first["marks"]["gold"][0]["text"] in first["text"]
    agreed = consensus.units(store, LEAD, coders=["bo", "gold"], state="agreed")
    assert agreed["total"] == agreed["counts"]["agreed"] > 100

    viewer = add_user(store, "vic", "correct horse battery", "viewer", actor="test")
    lead = add_user(store, "lea", "correct horse battery", "admin", actor="test")
    with pytest.raises(PermissionDenied):
        consensus.decide(store, viewer, source_id=first["source_id"], code="corruption",
                         start=first["start"], end=first["end"], absent=True,
                         coders=["bo", "gold"])

    def decide(unit: dict[str, Any], **how: Any) -> dict[str, Any]:
        return consensus.decide(store, lead, source_id=unit["source_id"], code="corruption",
                                start=unit["start"], end=unit["end"], coders=["bo", "gold"],
                                **how)

    taken = decide(first, take=first["marks"]["gold"][0]["id"])
    on_first = [u for u in agreed["units"] if u["source_id"] == first["source_id"]]
    assert taken["adopted"] == len(on_first) > 0 and taken["replaced"] == 0
    absent = decide(first, absent=True, memo="a complaint about pay, not corruption")
    assert absent["coder"] == CONSENSUS and absent["status"] == "rejected"
    assert absent["user_id"] == lead.id and absent["decided_by"] == "lea"
    assert absent["replaced"] == 1 and absent["adopted"] == 0
    gold_mark = second["marks"]["gold"][0]
    present = decide(second, take=gold_mark["id"])
    assert (present["start"], present["end"], present["code"], present["case_id"]) == (
        gold_mark["start"], gold_mark["end"], gold_mark["code"], gold_mark["case_id"])
    assert present["status"] == "accepted"
    with pytest.raises(UsageError, match="not a coder's"):
        consensus.decide(store, lead, source_id=first["source_id"], code="corruption",
                         start=0, end=5, take=gold_mark["id"], coders=["bo", "gold"])

    decided = consensus.units(store, LEAD, coders=["bo", "gold"], state="decided")
    assert decided["total"] == 2 + sum(u["source_id"] in (first["source_id"],
                                                          second["source_id"])
                                       for u in agreed["units"])
    [shown] = [u for u in decided["units"] if u["key"] == first["key"]]
    [decision] = shown["decision"]
    when = datetime.fromisoformat(decision["decided_at"])
    assert decision["decided_by"] == "lea" and decision["status"] == "rejected"
    assert abs(datetime.now(UTC) - when.replace(tzinfo=when.tzinfo or UTC)) < timedelta(hours=1)
    after = consensus.units(store, LEAD, coders=["bo", "gold"])
    assert after["counts"]["open"] == len(gold_spans) - 2

    # on a source with decisions, findings count only the consensus
    with store.session() as tx:
        table = tx.coding_table(["accepted"], counted=True)
    counted = [dict(zip(table.columns, r, strict=True)) for r in table.rows]
    counted_first = [c for c in counted if c["source_id"] == first["source_id"]]
    assert counted_first and {c["coder"] for c in counted_first} == {CONSENSUS}
    assert not any(c["code"] == "corruption" and c["start"] == first["start"]
                   for c in counted_first)  # ruled absent: counted nowhere
    elsewhere = {c["coder"] for c in counted if c["source_id"] != first["source_id"]}
    assert {"gold", "bo"} <= elsewhere
    build_findings(store, "accepted", detail=True)

    adopted = consensus.adopt(store, LEAD, coders=["bo", "gold"])
    assert adopted["adopted"] == sum(u["source_id"] not in (first["source_id"],
                                                            second["source_id"])
                                     for u in agreed["units"])
    assert consensus.units(store, LEAD, coders=["bo", "gold"], state="agreed")["total"] == 0
    assert consensus.adopt(store, LEAD, coders=["bo", "gold"])["adopted"] == 0

    consensus.withdraw(store, LEAD, present["id"])
    assert consensus.units(store, LEAD, coders=["bo", "gold"])["counts"]["open"] == \
        after["counts"]["open"] + 1
    with pytest.raises(UsageError, match="not a consensus decision"):
        consensus.withdraw(store, LEAD, gold_mark["id"])
    with store.session() as tx:
        actions = [e["action"] for e in tx.find_events(action="consensus.", limit=50)[0]]
    assert actions.count("consensus.decide") >= 2 and "consensus.adopt" in actions
    assert "consensus.withdraw" in actions

    # the consensus is not one of the coders whose agreement is measured, unless named
    assert agreement(store, bootstrap=0)["coders"] == ["bo", "gold"]
    with_consensus = agreement(store, coders=["consensus", "gold"], bootstrap=0)
    assert with_consensus["codes"]["infighting"]["alpha"] == pytest.approx(1.0)


def test_reconciling_needs_a_closed_round_and_two_coders(tmp_path: Path) -> None:
    from exitlens.services.samples import close_sample, draw_sample

    with new_store(f"sqlite:///{tmp_path / 's.sqlite'}") as store:
        make_two_coders(store, tmp_path)
        with pytest.raises(UsageError, match="two or more coders"):
            consensus.units(store, LEAD, coders=["gold"])
        with pytest.raises(UsageError, match="not one of its coders"):
            consensus.units(store, LEAD, coders=["gold", CONSENSUS])
        with pytest.raises(UsageError, match="reconciled coder, not a person"):
            add_user(store, CONSENSUS, "correct horse battery", "coder", actor="test")
        for name in ("bo", "gold"):
            add_user(store, name, "correct horse battery", "coder", actor="test")
        drawn = draw_sample(store, LEAD, name="round-1", size=30, coders=["bo", "gold"],
                            seed=1)
        with pytest.raises(UsageError, match="blind round still open"):
            consensus.units(store, LEAD, sample="round-1")
        close_sample(store, LEAD, drawn["id"])
        found = consensus.units(store, LEAD, sample="round-1", state="all")
        assert {u["source_id"] for u in found["units"]} <= set(drawn["sources"])
        assert found["sample"] == "round-1" and found["coders"] == ["bo", "gold"]
        # in a sample every assigned coder is asked on every source, coded or not
        assert all(set(u["marks"]) == {"bo", "gold"} for u in found["units"])
        outside = next(i for i in range(1, 500) if i not in drawn["sources"])
        with pytest.raises(UsageError, match="not in sample 'round-1'"):
            consensus.decide(store, LEAD, sample="round-1", source_id=outside,
                             code="corruption", start=0, end=10, absent=True)
        with pytest.raises(UsageError, match="is not within source"):
            consensus.decide(store, LEAD, sample="round-1", source_id=drawn["sources"][0],
                             code="corruption", start=10, end=10_000_000, absent=True)
        with pytest.raises(UsageError, match="not a top-level code"):
            consensus.decide(store, LEAD, sample="round-1", source_id=drawn["sources"][0],
                             code="corruption.racism", start=0, end=10, absent=True)


def test_cli_consensus(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import json

    project = tmp_path / "p"
    assert cli("init", str(project)).code == 0
    from exitlens.services.project import open_project
    from exitlens.settings import load_settings

    with open_project(load_settings(), project).store() as store:
        make_two_coders(store, tmp_path)
    listed = cli("-p", str(project), "consensus", "list", "--coders", "bo,gold")
    assert listed.code == 0 and "did not mark it" in listed.out and "open." in listed.out
    units = json.loads(cli("-p", str(project), "consensus", "list", "--coders", "bo,gold",
                           "--json").out)["units"]
    u = units[0]
    mark = u["marks"]["gold"][0]
    done = cli("-p", str(project), "consensus", "decide", "--coders", "bo,gold", "--source",
               str(u["source_id"]), "--code", u["code"], "--span",
               f"{u['start']}-{u['end']}", "--take", str(mark["id"]), "--memo", "clear")
    assert done.code == 0 and "accepted" in done.out, done.err
    bad = cli("-p", str(project), "consensus", "decide", "--coders", "bo,gold", "--source",
              str(u["source_id"]), "--code", u["code"], "--span", "x")
    assert bad.code != 0 and "START-END" in bad.err
    neither = cli("-p", str(project), "consensus", "decide", "--coders", "bo,gold",
                  "--source", str(u["source_id"]), "--code", u["code"], "--span", "1-2")
    assert neither.code == 1 and "either the coding to take, or absent" in neither.err
    adopted = cli("-p", str(project), "consensus", "adopt", "--coders", "bo,gold")
    assert adopted.code == 0 and "Adopted" in adopted.out
    decided = json.loads(cli("-p", str(project), "consensus", "list", "--coders", "bo,gold",
                             "--state", "decided", "--json").out)
    [mine] = [d for x in decided["units"] if x["key"] == u["key"] for d in x["decision"]]
    assert mine["memo"] == "clear" and mine["status"] == "accepted"
    assert decided["total"] > 1000  # and every agreed unit
    from exitlens.services.reports import write_report

    with open_project(load_settings(), project).store() as store:
        with store.session() as tx:
            summary = tx.consensus_summary()
        for fmt in ("md", "html"):
            write_report(store, tmp_path / f"r.{fmt}", fmt=fmt, status="accepted", project="t",
                         actor="test")
    assert f"consensus on {summary['sources']} sources" in (tmp_path / "r.html").read_text(
        encoding="utf-8")
    assert summary["there"] == decided["total"] and summary["decided_by"] == ["tester"]
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert f"reconciled into a consensus on {summary['sources']} sources" in text
    assert f"({summary['there']} codings kept, 0 ruled absent; decided by tester)" in text
