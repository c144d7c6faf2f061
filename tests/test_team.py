"""Codings in and out as CSV, and agreement between two coders whose disagreements are made
on purpose: the example corpus's gold labels, and the same with corruption left out of some
sources."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from tests.findings_data import load_gold_as_accepted, new_store

from exitlens.errors import SourceError
from exitlens.services.agreement import agreement
from exitlens.services.codings_io import export_codings, import_codings
from exitlens.storage import Store


@pytest.fixture(scope="module")
def two_coders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, list[dict[str, str]],
                                                                  set[str]]:
    folder = tmp_path_factory.mktemp("team")
    store = new_store(f"sqlite:///{folder / 'team.sqlite'}")
    load_gold_as_accepted(store)
    rows = list(csv.DictReader(io.StringIO(export_codings(store, coder="gold"))))
    with_corruption = sorted({r["source"] for r in rows if r["code"] == "corruption"})
    dropped = set(with_corruption[::3])  # every third source loses its corruption codings
    kept = [r for r in rows if not (r["code"] == "corruption" and r["source"] in dropped)]
    path = folder / "bo.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["source", "start", "end", "code", "case",
                                               "salience", "memo"])
        writer.writeheader()
        writer.writerows({k: r[k] for k in writer.fieldnames} for r in kept)
    assert import_codings(store, path, coder="bo", actor="test")["codings"] == len(kept)
    return store, rows, dropped


def _expected_source_alpha(rows: list[dict[str, str]], dropped: set[str]) -> float:
    """Presence of corruption per source, built by hand from the CSV rows."""
    sources = sorted({r["source"] for r in rows})
    bo_sources = {r["source"] for r in rows
                  if not (r["code"] == "corruption" and r["source"] in dropped)}
    gold = [float(any(r["source"] == s and r["code"] == "corruption" for r in rows))
            for s in sources]
    bo = [(0.0 if s in dropped else g) if s in bo_sources else np.nan
          for s, g in zip(sources, gold, strict=True)]
    return float(krippendorff.alpha(reliability_data=[gold, bo],
                                    level_of_measurement="nominal"))


def test_agreement_per_source_matches_the_disagreements_made(two_coders) -> None:  # type: ignore[no-untyped-def]
    store, rows, dropped = two_coders
    result = agreement(store, unit="source", bootstrap=200)
    corruption = result["codes"]["corruption"]
    assert corruption["alpha"] == pytest.approx(_expected_source_alpha(rows, dropped))
    assert corruption["alpha"] < 0.9
    low, high = corruption["alpha_interval"]
    assert low < corruption["alpha"] < high
    for code in ("infighting", "quality_of_life", "warning_to_others"):
        assert result["codes"][code]["alpha"] == pytest.approx(1.0)
        assert result["codes"][code]["percent_agreement"] == pytest.approx(1.0)
    assert set(result["overall"]["cohen_kappa"]) == {"bo / gold"}


@pytest.mark.parametrize("unit", ["case", "segment", "span"])
def test_other_units_see_the_same_disagreement(two_coders, unit: str) -> None:  # type: ignore[no-untyped-def]
    store, _, _ = two_coders
    result = agreement(store, unit=unit, codes=["corruption", "infighting"], bootstrap=0)
    same = result["codes"]["infighting"]
    assert same["percent_agreement"] == pytest.approx(1.0) and same["gwet_ac1"] == 1.0
    # span units exist only where someone coded, so full agreement leaves no variation and
    # alpha undefined; on sources, cases and segments absence varies and alpha is 1
    assert same["alpha"] is None if unit == "span" else same["alpha"] == pytest.approx(1.0)
    differ = result["codes"]["corruption"]
    assert (differ["percent_agreement"] if unit == "span" else differ["alpha"]) < 0.95
    assert result["codes"]["corruption"]["units"] > 50


def test_cli_agreement_and_codings(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = tmp_path / "p"
    assert cli("init", str(project)).code == 0
    source = Path(__file__).parent.parent / "examples" / "corpus" / \
        "001-raqqa-farmer-son-walked-away.txt"
    assert cli("-p", str(project), "import", str(source)).code == 0
    for coder, code in (("ana", "infighting"), ("bo", "infighting"), ("cy", "corruption")):
        (tmp_path / f"{coder}.csv").write_text(
            "source,start,end,code,case\n"
            f"{source.name},1037,1127,{code},Abu Hamza\n", encoding="utf-8")
        done = cli("-p", str(project), "codings", "import", str(tmp_path / f"{coder}.csv"),
                   "--coder", coder)
        assert done.code == 0, done.err
    shown = cli("-p", str(project), "agreement", "--unit", "span", "--json", "--bootstrap", "0")
    result = json.loads(shown.out)
    assert result["codes"]["infighting"]["percent_agreement"] == pytest.approx(1 / 3)
    assert "Cohen's kappa" in cli("-p", str(project), "agreement").out
    exported = cli("-p", str(project), "codings", "export", "--coder", "cy").out
    assert exported.count("corruption") == 1 and "Abu Hamza" not in exported
    (tmp_path / "bad.csv").write_text("source,start,end,code\n"
                                      f"{source.name},10,5,infighting\n", encoding="utf-8")
    bad = cli("-p", str(project), "codings", "import", str(tmp_path / "bad.csv"), "--coder", "x")
    assert bad.code == 1 and "bad.csv:2" in bad.err and "start/end" in bad.err
    one = cli("-p", str(project), "agreement", "--coders", "ana")
    assert one.code == 1 and "two or more coders" in one.err


def test_a_bad_import_leaves_nothing(tmp_path: Path) -> None:
    with new_store(f"sqlite:///{tmp_path / 's.sqlite'}") as store:
        (tmp_path / "x.csv").write_text("source,start,end,code\n1,0,5,infighting\n",
                                        encoding="utf-8")
        with pytest.raises(SourceError, match="no imported source is named '1'"):
            import_codings(store, tmp_path / "x.csv", coder="x", actor="t")
        with store.session() as tx:
            assert tx.counts()["codings"] == 0


def test_the_report_method_section_shows_the_agreement(two_coders, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from exitlens.services.reports import write_report

    store, rows, dropped = two_coders
    write_report(store, tmp_path / "r.md", fmt="md", status="accepted", project="t",
                 actor="test")
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "Agreement between bo, gold" in text
    alpha = _expected_source_alpha(rows, dropped)
    section = text[text.index("Agreement between"):]
    line = next(x for x in section.splitlines() if x.startswith("| Corruption"))
    assert f"| {alpha:.2f} |" in line


def test_machine_against_people_sets_states_that_analyze_follows(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from exitlens.services.agreement import machine_trust, trust_state
    from exitlens.services.project import open_project
    from exitlens.services.users import User
    from exitlens.settings import load_settings

    assert [trust_state(a) for a in (None, 0.5, 0.667, 0.79, 0.8, 1.0)] == [
        "off", "off", "suggest", "suggest", "auto", "auto"]
    project = tmp_path / "p"
    assert cli("init", str(project)).code == 0
    corpus = Path(__file__).parent.parent / "examples" / "corpus"
    sources = sorted(corpus.glob("0[0-3]*.txt"))[:30]
    for source in sources:
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / source.name).write_text(source.read_text(encoding="utf-8"),
                                                   encoding="utf-8")
    assert cli("-p", str(project), "analyze", str(tmp_path / "in"), "--coders",
               "keyword.v1").code == 0
    with open_project(load_settings(), project).store() as store:
        with store.session() as tx:
            names = {row[0]: Path(row[1]).name for row in tx.source_table().rows}
            machine = [(sid, c) for sid in names for c in tx.codings_of_source(sid)]
        # a reference who agrees with the machine on infighting and never codes corruption
        lines = ["source,start,end,code"]
        for sid, c in machine:
            if c["code"] in ("infighting", "quality_of_life"):
                lines.append(f"{names[sid]},{c['start']},{c['end']},{c['code']}")
        (tmp_path / "ref.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        import_codings(store, tmp_path / "ref.csv", coder="consensus", actor="t")
        admin = User(0, "root", "admin")
        with pytest.raises(Exception, match="only admins"):
            machine_trust(store, User(1, "ana", "coder"), apply=True)
        result = machine_trust(store, admin, apply=True)
        assert result["states"]["infighting"] == "auto"
        assert result["states"]["corruption"] == "off"
    shown = cli("-p", str(project), "agreement", "--machine")
    assert shown.code == 0 and "infighting" in shown.out and "-> auto" in shown.out
    assert cli("-p", str(project), "analyze", str(tmp_path / "in"), "--coders",
               "keyword.v1").code == 0
    with open_project(load_settings(), project).store() as store, store.session() as tx:
        after = [c for row in tx.source_table().rows for c in tx.codings_of_source(row[0])
                 if c["coder_kind"] == "machine"]
    assert not any(c["code"].startswith("corruption") for c in after)
    assert {c["status"] for c in after if c["code"] == "infighting"} == {"accepted"}
    assert {c["status"] for c in after if c["code"] == "family_personal"} <= {"suggested"}


def test_cli_samples_draw_stratified_list_and_close(cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import io as stdio

    project = tmp_path / "p"
    assert cli("init", str(project)).code == 0
    corpus = Path(__file__).parent.parent / "examples" / "corpus"
    assert cli("-p", str(project), "import", str(corpus)).code == 0
    for name in ("ana", "bo"):
        monkeypatch.setattr("sys.stdin", stdio.StringIO("correct horse battery\n"))
        assert cli("-p", str(project), "users", "add", name, "--password-stdin").code == 0
    drawn = cli("-p", str(project), "samples", "draw", "round-1", "--size", "40", "--coders",
                "ana,bo", "--stratify", "medium", "--seed", "3")
    assert drawn.code == 0, drawn.err
    samples = json.loads(cli("-p", str(project), "samples", "list", "--json").out)
    [sample] = samples
    assert len(sample["sources"]) == 40 and sample["coders"] == ["ana", "bo"]
    again = cli("-p", str(project), "samples", "draw", "round-2", "--size", "40", "--coders",
                "ana,bo", "--stratify", "medium", "--seed", "3")
    assert again.code == 0
    second = json.loads(cli("-p", str(project), "samples", "list", "--json").out)[1]
    assert second["sources"] == sample["sources"]  # the same seed draws the same sample
    assert cli("-p", str(project), "samples", "close", "1").code == 0
    assert "closed" in cli("-p", str(project), "samples", "list").out
    bad = cli("-p", str(project), "samples", "draw", "x", "--size", "5", "--coders", "ana,zed")
    assert bad.code == 1 and "no active account for zed" in bad.err
    bad = cli("-p", str(project), "samples", "draw", "x", "--size", "5", "--coders", "ana")
    assert bad.code == 1 and "two or more coders" in bad.err
