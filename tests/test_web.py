"""The web app at the HTTP level: nothing without signing in, sessions and CSRF, throttling,
roles from the CLI, the source list and the reader (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.findings_data import new_store

from exitlens.records import text_sha256
from exitlens.services.users import MAX_FAILURES, add_user, set_active
from exitlens.storage import Store
from exitlens.web.app import COOKIE, create_app
from exitlens.web.reader import text_pieces

PASSWORD = "correct horse battery"
TEXT = ("He left in 2016. The emir kept the salaries, he said. Then the purge of the "
        "brigades began and he walked away.")


@pytest.fixture
def web_store(db_url: str) -> Iterator[Store]:
    with new_store(db_url) as store:
        add_user(store, "ana", PASSWORD, "coder", actor="test", display_name="Ana")
        add_user(store, "vic", PASSWORD, "viewer", actor="test")
        with store.session() as tx:
            version = tx.active_codebook()
            assert version is not None
            [sid, _] = tx.add_sources([
                {"sha256": text_sha256(TEXT), "text": TEXT, "origin": "one.txt",
                 "format": "txt", "chars": len(TEXT), "title": "Walked away",
                 "outlet": "Test Wire", "language": "en", "relevant": True, "relevance": 0.9},
                {"sha256": text_sha256("x" * 40), "text": "A football transfer story." * 2,
                 "origin": "two.txt", "format": "txt", "chars": 52, "language": "en"}])
            [(case_id, _)] = tx.add_cases([{"gender": "male", "created_by": "coder:ana",
                                            "source_id": sid}])
            tx.add_codings([
                {"source_id": sid, "start": 17, "end": 54, "code": "corruption",
                 "codebook_version_id": version[0], "case_id": case_id, "coder": "ana",
                 "coder_kind": "human", "status": "accepted"},
                {"source_id": sid, "start": 40, "end": 110, "code": "infighting",
                 "codebook_version_id": version[0], "case_id": case_id,
                 "coder": "ensemble.v1", "coder_kind": "machine", "confidence": 0.7,
                 "status": "suggested"}])
        yield store


@pytest.fixture
def client(web_store: Store) -> TestClient:
    return TestClient(create_app(web_store, project="test"), base_url="https://testserver",
                      follow_redirects=False)


def sign_in(client: TestClient, username: str = "ana", password: str = PASSWORD) -> str:
    """Sign in through the form; returns the session's CSRF token."""
    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf": token.group(1), "next": "/sources"})
    assert response.status_code == 303, response.text
    return str(client.get("/api/me").json()["csrf"])


@pytest.mark.parametrize("path", ["/", "/sources", "/sources/1", "/codes.css"])
def test_pages_send_strangers_to_sign_in(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize("path", ["/api/me", "/api/sources", "/api/sources/1",
                                  "/api/openapi.json"])
def test_the_api_refuses_strangers(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 401


def test_signing_in_sets_a_protected_cookie_and_signing_out_ends_it(
        client: TestClient, web_store: Store) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token and "HttpOnly" in page.headers["set-cookie"]
    response = client.post("/login", data={"username": "ana", "password": PASSWORD,
                                           "csrf": token.group(1), "next": "//evil.example"})
    assert response.status_code == 303 and response.headers["location"] == "/sources"
    cookie = next(v for k, v in response.headers.multi_items()
                  if k == "set-cookie" and v.startswith(COOKIE))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" in cookie
    me = client.get("/api/me").json()
    assert me["user"]["username"] == "ana" and me["user"]["role"] == "coder"
    assert client.post("/logout").status_code == 403  # no CSRF token
    assert client.post("/logout", data={"csrf": "forged"}).status_code == 403
    assert client.post("/logout", data={"csrf": me["csrf"]}).status_code == 303
    assert client.get("/api/me").status_code == 401
    with web_store.session() as tx:
        actions = [e["action"] for e in tx.events(entity="user", limit=10)]
    assert "user.sign_in" in actions and "user.sign_out" in actions


def test_the_sign_in_form_needs_its_own_token(client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"username": "ana", "password": PASSWORD,
                                           "csrf": "guessed"})
    assert response.status_code == 403


def test_wrong_passwords_are_refused_then_throttled(client: TestClient) -> None:
    client.get("/login")
    token = client.cookies.get("exitlens_login")
    for _ in range(MAX_FAILURES):
        response = client.post("/login", data={"username": "ana", "password": "wrong one!",
                                               "csrf": token})
        assert response.status_code == 401 and "wrong name or password" in response.text
    response = client.post("/login", data={"username": "ana", "password": PASSWORD,
                                           "csrf": token})
    assert response.status_code == 401 and "too many failed attempts" in response.text


def test_a_disabled_account_loses_its_session(client: TestClient, web_store: Store) -> None:
    sign_in(client)
    assert client.get("/api/me").status_code == 200
    set_active(web_store, "ana", False, actor="admin")
    assert client.get("/api/me").status_code == 401
    client.get("/login")
    token = client.cookies.get("exitlens_login")
    refused = client.post("/login", data={"username": "ana", "password": PASSWORD,
                                          "csrf": token})
    assert refused.status_code == 401


def test_source_list_filters_and_pages(client: TestClient) -> None:
    sign_in(client, "vic")
    everything = client.get("/api/sources").json()
    assert everything["total"] == 2
    assert client.get("/api/sources", params={"q": "PURGE"}).json()["total"] == 1
    assert client.get("/api/sources", params={"screening": "unscreened"}).json()[
        "sources"][0]["title"] is None
    coded = client.get("/api/sources", params={"coded": "yes"}).json()["sources"]
    assert [s["codings"] for s in coded] == [2]
    assert client.get("/api/sources", params={"coded": "maybe"}).status_code == 422
    page = client.get("/sources", params={"screening": "relevant"})
    assert page.status_code == 200 and "Walked away" in page.text and "two.txt" not in page.text
    assert "Content-Security-Policy" in page.headers


def test_the_reader_highlights_overlapping_spans_with_their_cases(client: TestClient) -> None:
    sign_in(client)
    page = client.get("/sources/1")
    assert page.status_code == 200
    marks = re.findall(r'<mark class="span c-(\w+)( overlap)?"[^>]*>([^<]*)</mark>', page.text)
    assert [(code, bool(o)) for code, o, _ in marks] == [
        ("corruption", False), ("corruption", True), ("infighting", False)]
    assert "".join(text for _, _, text in marks) == TEXT[17:110]
    assert re.search(r"C-[0-9A-F]{6}", page.text)
    assert ".c-corruption" in client.get("/codes.css").text
    assert client.get("/sources/99").status_code == 404
    api = client.get("/api/sources/1").json()
    assert api["source"]["text"] == TEXT and len(api["codings"]) == 2


def test_text_pieces_cover_the_text_once() -> None:
    pieces = text_pieces("abcdefghij", [{"start": 2, "end": 6}, {"start": 4, "end": 8}])
    assert "".join(p.text for p in pieces) == "abcdefghij"
    assert [(p.start, p.end, len(p.codings)) for p in pieces] == [
        (0, 2, 0), (2, 4, 1), (4, 6, 2), (6, 8, 1), (8, 10, 0)]


def test_openapi_schema_is_there_for_signed_in_users(client: TestClient) -> None:
    sign_in(client, "vic")
    schema = client.get("/api/openapi.json").json()
    assert {"/api/me", "/api/sources", "/api/sources/{source_id}"} <= set(schema["paths"])


def test_cli_users(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import io

    project = tmp_path / "p"
    assert cli("init", str(project)).code == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    added = cli("-p", str(project), "users", "add", "ana", "--role", "admin",
                "--password-stdin")
    assert added.code == 0 and "Added ana (admin)" in added.out
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    short = cli("-p", str(project), "users", "add", "bob", "--password-stdin")
    assert short.code == 1 and "at least 10 characters" in short.err
    assert cli("-p", str(project), "users", "set-role", "ana", "viewer").code == 0
    bad = cli("-p", str(project), "users", "set-role", "ana", "owner")
    assert bad.code == 1 and "admin, coder, viewer" in bad.err
    assert cli("-p", str(project), "users", "disable", "ana").code == 0
    listed = cli("-p", str(project), "users", "list").out
    assert "ana" in listed and "viewer" in listed and "disabled" in listed
    missing = cli("-p", str(project), "users", "disable", "zed")
    assert missing.code == 1 and "no user 'zed'" in missing.err


def _api(client: TestClient, csrf: str) -> dict[str, str]:
    return {"X-CSRF-Token": csrf}


def test_coding_a_span_changing_deleting_and_undoing(client: TestClient,
                                                     web_store: Store) -> None:
    csrf = sign_in(client)
    body = {"source_id": 1, "start": 0, "end": 16, "code": "family_personal", "case": "new",
            "salience": 2, "memo": "left for his family?"}
    assert client.post("/api/codings", json=body).status_code == 403  # no CSRF header
    made = client.post("/api/codings", json=body, headers=_api(client, csrf))
    assert made.status_code == 201, made.text
    coding = made.json()
    assert coding["status"] == "accepted" and coding["coder"] == "ana"
    assert coding["case"].startswith("C-") and coding["memo"] == "left for his family?"
    changed = client.patch(f"/api/codings/{coding['id']}", json={"code": "fear_danger",
                                                                 "salience": 3},
                           headers=_api(client, csrf)).json()
    assert changed["code"] == "fear_danger" and changed["salience"] == 3
    assert client.post("/api/undo", headers=_api(client, csrf)).json()["undid"] == \
        "coding.update"
    with web_store.session() as tx:
        assert tx.coding(coding["id"])["code"] == "family_personal"
    assert client.delete(f"/api/codings/{coding['id']}",
                         headers=_api(client, csrf)).status_code == 200
    restored = client.post("/api/undo", headers=_api(client, csrf)).json()
    assert restored["undid"] == "coding.delete"
    with web_store.session() as tx:
        assert tx.coding(restored["coding"])["code"] == "family_personal"
        actions = [e["action"] for e in tx.events(entity="coding", limit=10)]
    assert {"coding.add", "coding.update", "coding.delete", "coding.undo"} <= set(actions)
    bad = client.post("/api/codings", json={**body, "end": 10_000}, headers=_api(client, csrf))
    assert bad.status_code == 400 and "not within source 1" in bad.json()["detail"]
    bad = client.post("/api/codings", json={**body, "code": "nonsense"},
                      headers=_api(client, csrf))
    assert bad.status_code == 400 and "not a code" in bad.json()["detail"]


def test_a_viewer_cannot_change_anything(client: TestClient) -> None:
    csrf = sign_in(client, "vic")
    body = {"source_id": 1, "start": 0, "end": 16, "code": "corruption"}
    assert client.post("/api/codings", json=body, headers=_api(client, csrf)).status_code == 403
    assert client.delete("/api/codings/1", headers=_api(client, csrf)).status_code == 403
    assert client.patch("/api/codings/1", json={"salience": 1},
                        headers=_api(client, csrf)).status_code == 403
    assert client.post("/api/codings/2/decision", json={"decision": "accept"},
                       headers=_api(client, csrf)).status_code == 403
    assert client.post("/api/undo", headers=_api(client, csrf)).status_code == 403
    page = client.get("/sources/1").text
    assert 'id="coder"' not in page and "button type=\"button\" class=\"delete\"" not in page


def test_review_accepts_and_rejects_once_and_counts_change(client: TestClient,
                                                           web_store: Store) -> None:
    from exitlens.services.findings import build_findings

    csrf = sign_in(client)
    queue = client.get("/api/review").json()
    assert queue["total"] == 1 and queue["items"][0]["code"] == "infighting"
    item = queue["items"][0]
    assert item["evidence"] == TEXT[40:110] and item["before"] == TEXT[:40]
    before = build_findings(web_store, "accepted").counts.set_index("code")["cases"]
    page = client.get("/review")
    assert 'value="accept"' in page.text
    decided = client.post(f"/review/{item['id']}", data={"decision": "accept", "csrf": csrf,
                                                         "back": "https://evil.example"})
    assert decided.status_code == 303 and decided.headers["location"] == "/sources"
    after = build_findings(web_store, "accepted").counts.set_index("code")["cases"]
    assert before["infighting"] == 0 and after["infighting"] == 1
    again = client.post(f"/api/codings/{item['id']}/decision", json={"decision": "reject"},
                        headers=_api(client, csrf))
    assert again.status_code == 409 and "already decided" in again.json()["detail"]
    assert client.get("/api/review").json()["total"] == 0
    with web_store.session() as tx:
        [event] = tx.events(action="coding.accept", limit=1)
    assert event["actor"] == "ana" and event["before"]["status"] == "suggested"


def test_two_coders_deciding_at_once_lose_nothing(web_store: Store) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from exitlens.errors import ConflictError
    from exitlens.services.coding import add_coding, decide
    from exitlens.services.users import User

    ana, bo = User(1, "ana", "coder"), User(2, "bo", "coder")
    with web_store.session() as tx:
        suggestion = next(c for c in tx.codings_of_source(1) if c["status"] == "suggested")

    def act(user: User) -> str:
        made = add_coding(web_store, user, source_id=1, start=0, end=10, code="other")
        try:
            decide(web_store, user, suggestion["id"], "accept")
        except ConflictError:
            return f"{made['id']}:conflict"
        return f"{made['id']}:won"

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(act, [ana, bo]))
    assert sorted(r.split(":")[1] for r in results) == ["conflict", "won"]
    with web_store.session() as tx:
        codings = tx.codings_of_source(1)
    added = [c for c in codings if c["code"] == "other"]
    assert len(added) == 2 and {c["coder"] for c in added} == {"ana", "bo"}


def test_cases_edit_merge_and_restricted_fields(client: TestClient, web_store: Store) -> None:
    add_user(web_store, "root", PASSWORD, "admin", actor="test")
    with web_store.session() as tx:
        [first] = [c["pseudonym"] for c in tx.cases_of_source(1)]
        tx.set_identity(tx.case_id_of(first), {"names": ["Karim Haddad"]})
        [(_, second)] = tx.add_cases([{"created_by": "coder:ana", "source_id": 2,
                                       "gender": "male"}])
    csrf = sign_in(client)  # a coder
    assert client.get(f"/api/cases/{first}/identity").status_code == 403
    assert client.patch(f"/api/cases/{first}/identity", json={"names": []},
                        headers=_api(client, csrf)).status_code == 403
    page = client.get(f"/cases/{first}").text
    assert "Karim" not in page and "Restricted" not in page
    changed = client.patch(f"/api/cases/{first}", json={"country_of_origin": "tn",
                                                        "exit_date": "2016-05"},
                           headers=_api(client, csrf))
    assert changed.status_code == 200, changed.text
    assert changed.json()["country_of_origin"] == "TN"
    assert changed.json()["exit_date_precision"] == "month"
    bad = client.patch(f"/api/cases/{first}", json={"country_of_origin": "Tunisia"},
                       headers=_api(client, csrf))
    assert bad.status_code == 400 and "ISO 3166-1" in bad.json()["detail"]
    form = client.post(f"/cases/{first}", data={"csrf": csrf, "action": "update",
                                                "gender": "female", "birth_year": "1994"})
    assert form.status_code == 303
    assert client.get(f"/api/cases/{first}").json()["birth_year"] == 1994
    merged = client.post(f"/api/cases/{first}/merge", json={"other": second},
                         headers=_api(client, csrf)).json()
    assert merged["source_ids"] == [1, 2]
    assert client.get(f"/api/cases/{second}").status_code == 404
    client.post("/logout", data={"csrf": csrf})
    admin_csrf = sign_in(client, "root")
    identity = client.get(f"/api/cases/{first}/identity").json()
    assert identity["names"] == ["Karim Haddad"]
    assert "Karim Haddad" in client.get(f"/cases/{first}").text
    client.patch(f"/api/cases/{first}/identity", json={"aliases": ["Abu K"]},
                 headers=_api(client, admin_csrf))
    with web_store.session() as tx:
        events = tx.events(entity="case", limit=20)
    reads = [e for e in events if e["action"] == "case.read_identity"]
    assert reads and all(e["actor"] == "root" for e in reads)
    assert "Abu K" not in str(events) and "Karim" not in str(events)


def test_activity_is_for_admins_and_filters(client: TestClient, web_store: Store) -> None:
    add_user(web_store, "root", PASSWORD, "admin", actor="test")
    csrf = sign_in(client)
    client.post("/api/codings", json={"source_id": 1, "start": 0, "end": 5, "code": "other"},
                headers=_api(client, csrf))
    assert client.get("/api/activity").status_code == 403
    assert client.get("/activity").status_code == 403
    client.post("/logout", data={"csrf": csrf})
    sign_in(client, "root")
    found = client.get("/api/activity", params={"actor": "ana", "action": "coding."}).json()
    assert found["total"] == 1 and found["events"][0]["action"] == "coding.add"
    assert client.get("/api/activity", params={"since": "2999-01-01"}).json()["total"] == 0
    assert client.get("/api/activity", params={"since": "yesterday"}).status_code == 422
    page = client.get("/activity", params={"entity": "user"})
    assert page.status_code == 200 and "user.sign_in" in page.text


def test_admins_change_the_codebook_and_codings_follow(client: TestClient,
                                                       web_store: Store) -> None:
    from exitlens.services.codebooks import active_codebook

    add_user(web_store, "root", PASSWORD, "admin", actor="test")
    csrf = sign_in(client)
    edit = {"operation": "add", "id": "smuggling", "name": "Smuggling", "parent": "corruption",
            "definition": "Discrimination by race or origin inside the group."}
    assert client.post("/api/codebook/edits", json=edit,
                       headers=_api(client, csrf)).status_code == 403
    assert "Change the codebook" not in client.get("/codebook").text
    client.post("/logout", data={"csrf": csrf})
    csrf = sign_in(client, "root")
    added = client.post("/api/codebook/edits", json=edit, headers=_api(client, csrf)).json()
    assert added["version"] == "1.0.1"
    coded = client.post("/api/codings", json={"source_id": 1, "start": 0, "end": 9,
                                              "code": "corruption.smuggling"},
                        headers=_api(client, csrf)).json()
    moved = client.post("/api/codebook/edits", json={"operation": "move",
                                                     "code": "corruption.smuggling",
                                                     "parent": "mistreatment"},
                        headers=_api(client, csrf)).json()
    assert moved == {"version": "1.0.2", "codings_moved": {"corruption.smuggling": 1}}
    with web_store.session() as tx:
        assert tx.coding(coded["id"])["code"] == "mistreatment.smuggling"
    merged = client.post("/api/codebook/edits", json={"operation": "merge",
                                                      "code": "infighting",
                                                      "into": "disillusion_ideology"},
                         headers=_api(client, csrf)).json()
    assert merged["codings_moved"] == {"infighting": 1}
    book = active_codebook(web_store)
    assert book.version == "1.0.3" and book.find("infighting") is None
    assert all("infighting" not in c.answered_by for c in book.propaganda_claims)
    renamed = client.post("/codebook", data={"csrf": csrf, "operation": "rename",
                                             "code": "mistreatment.smuggling",
                                             "name": "Smuggling for profit"})
    assert renamed.status_code == 303 and "1.0.4" in renamed.headers["location"]
    assert "Smuggling for profit" in client.get("/codebook").text
    bad = client.post("/api/codebook/edits", json={"operation": "move", "code": "corruption",
                                                   "parent": "mistreatment"},
                      headers=_api(client, csrf))
    assert bad.status_code == 400 and "stable contract" in bad.json()["detail"]
    with web_store.session() as tx:
        actions = [e["action"] for e in tx.events(entity="codebook_version", limit=20)]
    assert {"codebook.add", "codebook.move", "codebook.merge", "codebook.rename"} <= set(actions)


def test_review_correct_replaces_the_suggestion_with_the_coders_code(
        client: TestClient, web_store: Store) -> None:
    csrf = sign_in(client)
    [item] = client.get("/api/review").json()["items"]
    corrected = client.post(f"/review/{item['id']}", data={
        "decision": "correct", "code": "disillusion_ideology", "csrf": csrf})
    assert corrected.status_code == 303
    with web_store.session() as tx:
        codings = tx.codings_of_source(1)
    old = next(c for c in codings if c["id"] == item["id"])
    new = next(c for c in codings if c["code"] == "disillusion_ideology")
    assert old["status"] == "rejected" and new["status"] == "accepted"
    assert (new["start"], new["end"], new["case"], new["coder"]) == (
        item["start"], item["end"], item["case"], "ana")


def test_a_blind_coder_cannot_see_the_others_work(client: TestClient, web_store: Store) -> None:
    from exitlens.services.samples import close_sample, draw_sample
    from exitlens.services.users import User

    add_user(web_store, "bo", PASSWORD, "coder", actor="test")
    admin = User(0, "root", "admin")
    drawn = draw_sample(web_store, admin, name="round 1", size=2, coders=["ana", "bo"], seed=1)
    assert drawn["sources"] == [1, 2]
    csrf = sign_in(client, "ana")
    mine = client.post("/api/codings", json={"source_id": 1, "start": 0, "end": 9,
                                             "code": "other"}, headers=_api(client, csrf)).json()
    client.post("/logout", data={"csrf": csrf})
    csrf = sign_in(client, "bo")
    seen = client.get("/api/sources/1").json()
    assert seen["blind"] and seen["codings"] == []  # not ana's, not the machine's
    page = client.get("/sources/1").text
    assert "Blind double coding" in page and "ensemble.v1" not in page and "ana" not in page
    assert client.get("/api/review").json()["total"] == 0
    listed = client.get("/api/sources").json()["sources"]
    assert all(r["codings"] is None for r in listed)
    # "coded" means coded by bo on blind sources: ana's coding and the machine's say nothing
    assert client.get("/api/sources?coded=yes").json()["total"] == 0
    assert client.get(f"/api/sources?coded=no&sample={drawn['id']}").json()["total"] == 2
    assert 'value="1" selected' in client.get(f"/sources?sample={drawn['id']}").text
    assert client.patch(f"/api/codings/{mine['id']}", json={"salience": 1},
                        headers=_api(client, csrf)).status_code == 403
    assert client.delete(f"/api/codings/{mine['id']}",
                         headers=_api(client, csrf)).status_code == 403
    case = client.get("/api/sources/1/cases").json()[0]["pseudonym"]
    assert client.get(f"/api/cases/{case}").json()["codings"] == []
    # nor through the team pages: reconciling waits for the round's end, and agreement leaves
    # the round's sources out
    assert client.get("/api/reconcile?sample=round+1").status_code == 400
    assert client.get("/api/reconcile?coders=ana,bo&state=all").json()["total"] == 0
    page = client.get("/reconcile?coders=ana,bo&state=all").text
    assert "Take ana" not in page and "did not mark it" not in page
    assert client.get("/api/agreement?coders=ana,bo").status_code == 400
    assert client.get("/api/agreement/machine?reference=ana").status_code == 400
    close_sample(web_store, admin, drawn["id"])
    after = client.get("/api/sources/1").json()
    assert not after["blind"] and {c["coder"] for c in after["codings"]} >= {"ana",
                                                                            "ensemble.v1"}


def test_samples_agreement_and_reconciling_in_the_browser(client: TestClient,
                                                          web_store: Store) -> None:
    from exitlens.services.coding import add_coding
    from exitlens.services.samples import list_samples

    bo = add_user(web_store, "bo", PASSWORD, "coder", actor="test")
    add_user(web_store, "ada", PASSWORD, "admin", actor="test")
    # ana marked corruption at 17-54; bo marks infighting only
    bo_coding = add_coding(web_store, bo, source_id=1, start=60, end=110, code="infighting")
    csrf = sign_in(client, "ada")
    page = client.get("/samples")
    assert page.status_code == 200 and 'name="coders" value="bo"' in page.text
    drawn = client.post("/samples", data={"csrf": csrf, "name": "round 1", "size": "1",
                                          "seed": "2", "coders": ["ana", "bo"],
                                          "blind": "on"})
    assert drawn.status_code == 303
    [sample] = list_samples(web_store)
    assert sample["coders"] == ["ana", "bo"] and len(sample["sources"]) == 1
    again = client.post("/samples", data={"csrf": csrf, "name": "round 1", "size": "1",
                                          "coders": ["ana", "bo"]})
    assert again.status_code == 400 and "already a sample named" in again.text
    alone = client.post("/samples", data={"csrf": csrf, "name": "r2", "size": "1",
                                          "coders": ["ana"]})
    assert alone.status_code == 400 and "two or more coders" in alone.text
    assert 'href="/samples">Back' in alone.text and len(list_samples(web_store)) == 1
    blind = client.get("/reconcile?sample=round+1")
    assert "blind round still open" in blind.text
    assert client.post(f"/samples/{sample['id']}/close", data={"csrf": csrf}
                       ).status_code == 303
    client.post("/logout", data={"csrf": csrf})

    csrf = sign_in(client, "ana")
    assert client.post("/samples", data={"csrf": csrf, "name": "x", "size": "1",
                                         "coders": ["ana", "bo"]}).status_code == 403
    shown = client.get("/agreement?coders=ana,bo")
    assert shown.status_code == 200 and "kappa ana / bo" in shown.text
    assert client.get("/api/agreement?coders=ana,bo").json()["coders"] == ["ana", "bo"]
    listed = client.get("/reconcile?coders=ana,bo")
    assert listed.status_code == 200 and listed.text.count("did not mark it") == 2
    assert "Take ana's" in listed.text and "Take bo's" in listed.text
    units = client.get("/api/reconcile?coders=ana,bo").json()["units"]
    corruption = next(u for u in units if u["code"] == "corruption")
    [ana_mark] = corruption["marks"]["ana"]
    decided = client.post("/reconcile", data={
        "csrf": csrf, "coders": "ana,bo", "source_id": "1", "code": "corruption",
        "start": str(corruption["start"]), "end": str(corruption["end"]),
        "take": str(ana_mark["id"]), "memo": "the salaries", "back": "/reconcile?coders=ana,bo"})
    assert decided.status_code == 303 and "message=decided" in decided.headers["location"]
    done = client.get("/reconcile?coders=ana,bo&state=decided").text
    assert "decided by ana" in done and "the salaries" in done
    infighting = next(u for u in units if u["code"] == "infighting")
    api = client.post("/api/consensus", json={
        "coders": ["ana", "bo"], "source_id": 1, "code": "infighting",
        "start": infighting["start"], "end": infighting["end"], "absent": True},
        headers=_api(client, csrf))
    assert api.status_code == 201 and api.json()["status"] == "rejected"
    assert client.get("/api/reconcile?coders=ana,bo").json()["total"] == 0
    both = client.post("/api/consensus", json={
        "coders": ["ana", "bo"], "source_id": 1, "code": "infighting", "start": 0, "end": 5,
        "absent": True, "take": bo_coding["id"]}, headers=_api(client, csrf))
    assert both.status_code == 400 and "either" in both.json()["detail"]
    client.post("/logout", data={"csrf": csrf})

    csrf = sign_in(client, "vic")
    assert client.get("/reconcile?coders=ana,bo&state=decided").status_code == 200
    refused = client.post("/api/consensus/adopt", json={"coders": ["ana", "bo"]},
                          headers=_api(client, csrf))
    assert refused.status_code == 403
