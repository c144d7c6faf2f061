"""The command line: every command documented with an example, clean errors, end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from tests.conftest import CORPUS, ROOT

from exitlens.cli.main import app


def _commands(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, command in group.commands.items():
        out.append((*prefix, name))
        if hasattr(command, "commands"):
            out += _commands(command, (*prefix, name))
    return out


ALL = _commands(typer.main.get_command(app))


def test_the_commands_the_issue_names_exist() -> None:
    for command in [("init",), ("import",), ("status",), ("sources", "list"),
                    ("sources", "show"), ("codebook", "show"), ("codebook", "validate"),
                    ("codebook", "export")]:
        assert command in ALL


@pytest.mark.parametrize("command", ALL, ids=" ".join)
def test_every_command_has_help_with_an_example(cli, command: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    result = cli(*command, "--help")
    assert result.code == 0
    assert "Example: exitlens" in result.out.replace("\n", " ")


@pytest.mark.parametrize("command", ALL,
                         ids=" ".join)
def test_every_command_is_documented_in_the_readme(command: tuple[str, ...]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"exitlens {' '.join(command)}" in readme


def test_help_is_fast_because_heavy_modules_stay_unimported() -> None:
    code = ("import sys; from exitlens.cli.main import app; "
            "heavy = [m for m in ('sqlalchemy', 'trafilatura', 'pypdf', 'docx', 'lingua', "
            "'datasketch', 'numpy', 'pydantic') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_init_import_status_sources_end_to_end(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = tmp_path / "study"
    assert cli("init", str(project), "--name", "Study").code == 0
    first = cli("--project", str(project), "import", str(CORPUS), "--json")
    assert first.code == 0
    report = json.loads(first.out)
    assert report["counts"]["sources_added"] == len(list(CORPUS.iterdir()))
    second = cli("-p", str(project), "import", str(CORPUS))
    assert second.code == 0 and "Imported 0 sources" in second.out
    status = json.loads(cli("-p", str(project), "status", "--json").out)
    assert status["counts"]["sources"] == report["counts"]["sources_added"]
    assert status["codebook"]["key"] == "exitlens-default"
    assert "Sources: " in cli("-p", str(project), "status").out
    listing = json.loads(cli("-p", str(project), "sources", "list", "--language", "fr",
                             "--json").out)
    assert listing["total"] == 3 and all(s["language"] == "fr" for s in listing["sources"])
    first_id = report["added"][0]
    shown = cli("-p", str(project), "sources", "show", str(first_id))
    assert "origin" in shown.out and "fictional" in shown.out
    assert cli("-p", str(project), "sources", "list").code == 0


def test_codebook_commands(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = tmp_path / "p"
    cli("init", str(project))
    shown = cli("-p", str(project), "codebook", "show")
    assert "quality_of_life" in shown.out and "barrier_reprisal" in shown.out
    one = cli("-p", str(project), "codebook", "show", "--code", "corruption")
    assert "Examples" in one.out and "corruption.racism" in one.out
    exported = tmp_path / "mine.yaml"
    assert cli("-p", str(project), "codebook", "export", "-o", str(exported)).code == 0
    assert "valid" in cli("codebook", "validate", str(exported)).out
    as_json = json.loads(cli("-p", str(project), "codebook", "export", "--format", "json").out)
    assert as_json["id"] == "exitlens-default"
    edited = exported.read_text(encoding="utf-8").replace("version: 1.0.0", "version: 1.1.0")
    exported.write_text(edited.replace("id: exitlens-default", "id: my-study"),
                        encoding="utf-8")
    assert "my-study 1.1.0" in cli("-p", str(project), "codebook", "load", str(exported)).out
    versions = json.loads(cli("-p", str(project), "codebook", "versions", "--json").out)
    assert [v["active"] for v in versions] == [False, True]


@pytest.mark.parametrize(("args", "words"), [
    (("status",), "no ExitLens project in"),
    (("sources", "list"), "exitlens init"),
    (("codebook", "validate", "nope.yaml"), "nope.yaml: no such file"),
    (("--db", "mysql://x@y/z", "init", "q"), "SQLite or PostgreSQL only"),
])
def test_errors_are_one_clean_line(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                   args: tuple[str, ...], words: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli(*args)
    assert result.code == 1
    assert result.err.startswith("error: ") and words in result.err
    assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1


def test_init_twice_and_missing_sources_are_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = tmp_path / "p"
    assert cli("init", str(project)).code == 0
    again = cli("init", str(project))
    assert again.code == 1 and "already an ExitLens project" in again.err
    missing = cli("-p", str(project), "sources", "show", "42")
    assert missing.code == 1 and "no source 42" in missing.err


def test_import_with_bad_files_names_them_and_exits_nonzero(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = tmp_path / "p"
    cli("init", str(project))
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "ok.txt").write_text("Fictional: she left after the commanders took the food "
                                   "aid for their own families.", encoding="utf-8")
    (inputs / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    result = cli("-p", str(project), "import", str(inputs))
    assert result.code == 1
    assert f"{inputs / 'broken.pdf'}: is not a readable PDF" in result.err
    assert "Imported 1 sources" in result.out


def test_bad_column_option_is_a_usage_error(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("init", str(tmp_path / "p"))
    result = cli("-p", str(tmp_path / "p"), "import", str(CORPUS), "--column", "outlet")
    assert result.code == 2 and "FIELD=COLUMN" in result.err


def test_python_dash_m_and_console_script_work() -> None:
    out = subprocess.run([sys.executable, "-m", "exitlens", "--version"], capture_output=True,
                         text=True, check=True)
    assert out.stdout.startswith("exitlens ")
