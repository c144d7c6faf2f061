"""The shape of the code: import contracts (import-linter) and the packaging of data files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    command = [str(lint)] if lint.exists() else [shutil.which("lint-imports") or "lint-imports"]
    result = subprocess.run([*command, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_migrations_and_default_codebook_ship_in_the_package() -> None:
    from importlib import resources

    package = resources.files("exitlens")
    assert package.joinpath("codebook/default.yaml").is_file()
    assert package.joinpath("storage/migrations/env.py").is_file()
    assert any(p.name.startswith("0001_") for p in
               package.joinpath("storage/migrations/versions").iterdir())
