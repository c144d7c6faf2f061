"""Schemathesis over the web API's OpenAPI schema, signed in as an admin: whatever it sends,
no server error. Everything runs in-process against a store in a temporary folder."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from tests.findings_data import new_store

from exitlens.records import text_sha256
from exitlens.services.users import add_user, sign_in
from exitlens.web.app import COOKIE, create_app

FOLDER = Path(tempfile.mkdtemp(prefix="exitlens-fuzz-"))
atexit.register(shutil.rmtree, FOLDER, ignore_errors=True)
TEXT = "She left in 2017 because the commanders stole the food meant for the families."


def _app() -> tuple[object, str, str]:
    store = new_store(f"sqlite:///{FOLDER / 'fuzz.sqlite'}")
    add_user(store, "root", "correct horse battery", "admin", actor="test")
    with store.session() as tx:
        version = tx.active_codebook()
        assert version is not None
        [sid] = tx.add_sources([{"sha256": text_sha256(TEXT), "text": TEXT, "origin": "f.txt",
                                 "format": "txt", "chars": len(TEXT), "language": "en"}])
        made = tx.add_cases([{"created_by": "machine:x", "source_id": sid},
                             {"created_by": "coder:root", "source_id": sid}])
        tx.add_codings([{"source_id": sid, "start": 0, "end": 16, "code": "corruption",
                         "codebook_version_id": version[0], "case_id": made[0][0],
                         "coder": "ensemble.v1", "coder_kind": "machine", "confidence": 0.5,
                         "status": "suggested"}])
    session = sign_in(store, "root", "correct horse battery", client="fuzz")
    return create_app(store, project="fuzz"), session.token, session.csrf


APP, TOKEN, CSRF = _app()
schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP,
                                        headers={"Cookie": f"{COOKIE}={TOKEN}"})


@schema.parametrize()
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_no_server_error(case: schemathesis.Case) -> None:
    response = case.call(headers={"X-CSRF-Token": CSRF}, cookies={COOKIE: TOKEN})
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text}"
