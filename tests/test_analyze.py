"""`exitlens analyze`, `train` and `evaluate` end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.conftest import CORPUS, EXAMPLES

from exitlens.ingest import ReadOptions
from exitlens.services.analyze import analyze_paths
from exitlens.services.models import model_path
from exitlens.services.project import init_project
from exitlens.settings import Settings

FAST = ["keyword.v1"]
SAMPLE = ["001-raqqa-farmer-son-walked-away.txt", "003-keeper-defects-to-city-rivals.txt",
          "007-three-defectors-gaziantep.txt",
          "034-ngo-report-borno-coming-out-of-the-bush.md",
          "039-radio-fr-mopti-sortir-de-la-brousse.txt",
          "020-councillor-crosses-floor-ward-four.txt"]


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    folder = tmp_path / "accounts"
    folder.mkdir()
    for name in SAMPLE:
        shutil.copy(CORPUS / name, folder / name)
    (folder / "arabic.txt").write_text("غادر الشاب التنظيم بعد أن رأى كيف يعامل المدنيين في "
                                       "المدينة، وقال إنه لم يعد يؤمن بما قيل له. (قصة خيالية)",
                                       encoding="utf-8")
    return folder


def test_analyze_stores_suggestions_and_writes_the_jsonl_contract(
        db_url: str, tmp_path: Path, sample: Path, settings: Settings) -> None:
    project = init_project(settings, tmp_path / "p", db_url=db_url)
    out = tmp_path / "out.jsonl"
    with project.store() as store, out.open("w", encoding="utf-8") as handle:
        report = analyze_paths(store, project.root, [str(sample)], actor="tester",
                               options=ReadOptions(), coders=FAST, jsonl=handle)
        with store.session() as tx:
            counts = tx.counts()
            events = tx.events(action="source.analyse", limit=100)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(SAMPLE) + 1
    by_name = {Path(line["source"]).name: line for line in lines}
    assert set(by_name) == {*SAMPLE, "arabic.txt"}
    arabic = by_name["arabic.txt"]
    assert arabic["analysed"] is False and "not supported" in arabic["note"]
    assert arabic["cases"] == [] and arabic["language"] == "ar"
    texts = {name: (sample / name).read_text(encoding="utf-8") for name in SAMPLE}
    for name, line in by_name.items():
        assert {"source", "language", "relevant", "relevance", "cases"} <= set(line)
        if not line["relevant"]:
            assert line["cases"] == []
        for case in line["cases"]:
            assert {"label", "collective", "gender", "country", "narratives"} <= set(case)
            assert case["gender"] in ("female", "male", None)
            assert case["country"] is None or len(case["country"]) == 2
            for narrative in case["narratives"]:
                assert narrative["code"] in {
                    "infighting", "brutality_sunni", "corruption", "quality_of_life",
                    "other_brutality", "disillusion_ideology", "fear_danger", "mistreatment",
                    "family_personal", "other"}
                assert 0 <= narrative["confidence"] <= 1
                for evidence in narrative["evidence"]:
                    assert evidence["text"] in texts[name]
                    assert evidence["end"] - evidence["start"] == len(evidence["text"])
    assert by_name["001-raqqa-farmer-son-walked-away.txt"]["relevant"] is True
    assert report.analysed == len(SAMPLE) and len(report.not_analysed) == 1
    assert counts["codings"] == report.codings > 0 and counts["cases"] == report.cases > 0
    assert len(events) == len(SAMPLE) + 1
    assert model_path(project.root, FAST).is_file()
    assert report.embedding_model == {}  # no neural model with the keyword coder


def test_analyze_reports_the_embedding_models_own_time(tmp_path: Path,
                                                       settings: Settings) -> None:
    account = tmp_path / "account.txt"
    # fictional; a text of its own, so that no sentence comes from the embedding cache
    sentences = [f"Fictional account {tmp_path.name}: he said he left the group in week {i} "
                 "because the fighters stole from the villagers." for i in range(12)]
    account.write_text(" ".join(sentences), encoding="utf-8")
    project = init_project(settings, tmp_path / "p")
    with project.store() as store:
        report = analyze_paths(store, project.root, [str(account)], actor="tester",
                               options=ReadOptions(), coders=["embedding.v1"])
    used = report.summary()["embedding_model"]
    assert used["sentences"] >= len(sentences) and used["encode_seconds"] > 0
    assert report.seconds["analysis"] >= used["encode_seconds"]


def test_cases_are_pseudonymous_unless_names_are_asked_for(
        tmp_path: Path, sample: Path, settings: Settings) -> None:
    project = init_project(settings, tmp_path / "p")
    out = tmp_path / "out.jsonl"
    with project.store() as store:
        with out.open("w", encoding="utf-8") as handle:
            analyze_paths(store, project.root, [str(sample)], actor="tester",
                          options=ReadOptions(), coders=FAST, jsonl=handle)
        individual = [c for line in out.read_text(encoding="utf-8").splitlines()
                      for c in json.loads(line)["cases"] if not c["collective"]]
        assert individual and all(c["label"] == c["pseudonym"] for c in individual)
        with out.open("w", encoding="utf-8") as handle:
            analyze_paths(store, project.root, [str(sample)], actor="tester",
                          options=ReadOptions(), coders=FAST, jsonl=handle, reveal_names=True)
        named = [c for line in out.read_text(encoding="utf-8").splitlines()
                 for c in json.loads(line)["cases"] if not c["collective"]]
        assert any(c["label"] != c["pseudonym"] for c in named)
        with store.session() as tx:
            assert tx.events(action="export.names")


def test_analysing_again_replaces_machine_results(tmp_path: Path, sample: Path,
                                                  settings: Settings) -> None:
    project = init_project(settings, tmp_path / "p")
    with project.store() as store:
        first = analyze_paths(store, project.root, [str(sample)], actor="t",
                              options=ReadOptions(), coders=FAST)
        with store.session() as tx:
            before = tx.counts()
        analyze_paths(store, project.root, [str(sample)], actor="t", options=ReadOptions(),
                      coders=FAST)
        with store.session() as tx:
            after = tx.counts()
    assert first.imported.added and before["codings"] == after["codings"] > 0
    assert before["cases"] == after["cases"] and after["sources"] == before["sources"]


def test_cli_analyze_evaluate_train(cli, tmp_path: Path, sample: Path) -> None:  # type: ignore[no-untyped-def]
    project = tmp_path / "p"
    cli("init", str(project))
    result = cli("-p", str(project), "analyze", str(sample), "--coders", "keyword.v1",
                 "--jsonl", "-")
    assert result.code == 0
    lines = [json.loads(line) for line in result.out.splitlines() if line.startswith("{")]
    assert len(lines) == len(SAMPLE) + 1
    assert "Analysed 6 of 7 sources" in result.out
    trained = cli("-p", str(project), "train", "--coders", "keyword.v1")
    assert trained.code == 0 and "Trained keyword.v1" in trained.out
    evaluated = cli("-p", str(project), "evaluate", "--gold", str(EXAMPLES / "gold.jsonl"),
                    str(CORPUS), "--coders", "keyword.v1", "--folds", "3", "--json")
    assert evaluated.code == 0
    figures = json.loads(evaluated.out)
    assert figures["mode"] == "3-fold cross-validation"
    assert figures["documents"] == len(list(CORPUS.iterdir()))
    assert figures["relevance"]["f1"] > 0.6
    assert set(figures["icsr_alpha"]) == {"infighting", "brutality_sunni", "corruption",
                                         "quality_of_life"}
    assert 0 < figures["cases"]["gender_accuracy"] <= 1
    report = tmp_path / "r.md"
    assert cli("-p", str(project), "report", "--status", "suggested", "--format", "md",
               "--out", str(report)).code == 0
    text = report.read_text(encoding="utf-8")
    assert "Latest evaluation against gold labels" in text and "cross-validated" in text
    alpha = figures["codes"]["infighting"]["document"]["alpha"]
    assert "| infighting | " in text and f" {alpha:.2f} |" in text
    bad = cli("-p", str(project), "analyze", str(sample), "--coders", "nope.v1")
    assert bad.code == 1 and "no coder 'nope.v1'" in bad.err


def test_cases_list_and_source_codings_after_analysis(cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                      sample: Path) -> None:
    project = tmp_path / "p"
    cli("init", str(project))
    cli("-p", str(project), "analyze", str(sample), "--coders", "keyword.v1")
    listed = json.loads(cli("-p", str(project), "cases", "list", "--json").out)
    assert listed["total"] == len(listed["cases"]) > 0
    person = next(c for c in listed["cases"] if not c["collective"])
    assert person["pseudonym"].startswith("C-") and person["sources"]
    assert "names" not in person and set(person["codes"].values()) == {"suggested"}
    shown = json.loads(cli("-p", str(project), "sources", "show", str(person["sources"][0]),
                           "--json").out)
    assert shown["codings"] and all(c["text"] for c in shown["codings"])
    assert "suggested" in cli("-p", str(project), "sources", "show",
                              str(person["sources"][0])).out
    assert "?" in cli("-p", str(project), "cases", "list").out


def _comparable(path: Path) -> list[dict]:
    """JSON lines without what differs between two projects (ids, pseudonyms)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        entry.pop("source_id")
        for case in entry["cases"]:
            case.pop("pseudonym")
            if not case["collective"]:
                case.pop("label")
        out.append(entry)
    return out


def test_a_dask_cluster_gives_the_same_results_as_one_process(
        tmp_path: Path, sample: Path, settings: Settings) -> None:
    results = {}
    for workers in (1, 2):
        project = init_project(settings, tmp_path / f"p{workers}")
        out = tmp_path / f"out{workers}.jsonl"
        with project.store() as store, out.open("w", encoding="utf-8") as handle:
            report = analyze_paths(store, project.root, [str(sample)], actor="t",
                                   options=ReadOptions(), coders=FAST, jsonl=handle, batch=2,
                                   workers=workers)
            with store.session() as tx:
                counts = tx.counts()
        results[workers] = (_comparable(out), counts["codings"], counts["cases"])
        assert ("Dask" in report.executor) == (workers == 2)
    assert results[1] == results[2] and results[1][1] > 0


def test_one_worker_runs_in_process_and_bad_settings_are_clear_errors() -> None:
    from exitlens.errors import ExitLensError
    from exitlens.executors import InProcess, make_executor

    assert isinstance(make_executor(1, None), InProcess)
    assert isinstance(make_executor(None, None), InProcess)
    with pytest.raises(ExitLensError, match="--workers"):
        make_executor(-1, None)
    with pytest.raises(ExitLensError, match="Dask scheduler"):
        make_executor(1, "tcp://127.0.0.1:1")


def _scaled(factor: int, batch: list[int]) -> list[int]:
    return [factor * x for x in batch]


def test_one_dask_executor_runs_many_maps_with_the_same_shared_object() -> None:
    """A second map with an equal shared object must not lose it when the first map's copy is
    released (scattered objects get keys of their own)."""
    from exitlens.executors import make_executor

    executor = make_executor(2, None)
    try:
        batches = [[1, 2], [3], [4, 5, 6]]
        for _ in range(3):
            assert list(executor.map_ordered(_scaled, 10, batches)) == [
                [10, 20], [30], [40, 50, 60]]
    finally:
        executor.close()
