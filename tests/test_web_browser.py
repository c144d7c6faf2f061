"""End to end in Debian's Chromium (Playwright): sign in, code a span by selecting it, accept
and reject machine suggestions, edit a case, and see the report's numbers change."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.findings_data import new_store
from tests.test_report import CHROMIUM, CHROMIUM_ARGS, _required

from exitlens.records import text_sha256
from exitlens.services.findings import build_findings
from exitlens.services.reports import write_report
from exitlens.services.users import add_user
from exitlens.storage import Store
from exitlens.web.app import create_app

PASSWORD = "correct horse battery"
TEXT = ("Amira left Raqqa in 2016. She says the fighters took the best houses and the emir "
        "kept the salaries for himself. Then her husband was killed in the purge of the "
        "brigades, and she walked out with her two children across the fields at night.")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Store]]:
    if not Path(CHROMIUM).exists():
        if _required("BROWSER"):
            pytest.fail(f"{CHROMIUM} is required here (apt-get install chromium)")
        pytest.skip(f"no {CHROMIUM}")
    import uvicorn

    store = new_store(f"sqlite:///{tmp_path / 'web.sqlite'}")
    add_user(store, "ana", PASSWORD, "coder", actor="test")
    with store.session() as tx:
        version = tx.active_codebook()
        assert version is not None
        [sid] = tx.add_sources([{"sha256": text_sha256(TEXT), "text": TEXT,
                                 "origin": "amira.txt", "format": "txt", "chars": len(TEXT),
                                 "title": "She walked out", "language": "en",
                                 "relevant": True, "relevance": 0.95}])
        [(case_id, _)] = tx.add_cases([{"gender": "unknown", "created_by": "machine:test",
                                        "source_id": sid}])
        corruption = TEXT.index("the emir kept")
        purge = TEXT.index("her husband")
        tx.add_codings([
            {"source_id": sid, "start": corruption, "end": corruption + 45,
             "code": "corruption", "codebook_version_id": version[0], "case_id": case_id,
             "coder": "ensemble.v1", "coder_kind": "machine", "confidence": 0.55,
             "status": "suggested"},
            {"source_id": sid, "start": purge, "end": purge + 55, "code": "infighting",
             "codebook_version_id": version[0], "case_id": case_id,
             "coder": "ensemble.v1", "coder_kind": "machine", "confidence": 0.6,
             "status": "suggested"}])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(store, project="browser test"), host="127.0.0.1",
                            port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(100):
        if running.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", store
    running.should_exit = True
    thread.join(timeout=10)
    store.close()


def _sign_in(page: Any, username: str) -> None:
    """Fill the sign-in form the app sent the browser to."""
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_code_review_edit_and_see_the_report_change(server: tuple[str, Store],
                                                    tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, store = server
    before = build_findings(store, "accepted")
    assert len(before.individuals) == 0
    write_report(store, tmp_path / "before.md", fmt="md", status="accepted", project="b",
                 actor="test")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url + "/sources/1")
        assert "/login" in page.url
        _sign_in(page, "ana")
        expect(page.locator("h1")).to_contain_text("She walked out")

        # code a span by selecting it
        start = TEXT.index("she walked out")
        page.evaluate("""([start, end]) => {
            const text = document.getElementById("text");
            const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
            let seen = 0, range = document.createRange(), node;
            while ((node = walker.nextNode())) {
                const n = node.textContent.length;
                if (seen <= start && start < seen + n) range.setStart(node, start - seen);
                if (seen < end && end <= seen + n) range.setEnd(node, end - seen);
                seen += n;
            }
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            text.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
        }""", [start, start + len("she walked out with her two children")])
        expect(page.locator("#coder")).to_be_visible()
        page.fill("#code", "family_personal")
        page.select_option("#case", label=page.locator("#case option").nth(1).inner_text())
        page.select_option("#salience", "3")
        page.click("#coder button[type=submit]")
        expect(page.locator(".codings li", has_text="family_personal")).to_be_visible()
        # edit it: a decisive pull to the family becomes fear for her life, then back
        page.locator(".codings li", has_text="family_personal").locator("button.edit").click()
        page.fill("#code", "fear_danger")
        expect(page.locator("#code-definition")).to_contain_text("Fear")
        page.click("#coder button[type=submit]")
        expect(page.locator(".codings li", has_text="fear_danger")).to_be_visible()
        page.keyboard.press("u")
        expect(page.locator(".codings li", has_text="family_personal")).to_be_visible()
        page.screenshot(path=str(tmp_path / "reader.png"), full_page=True)

        # review: accept the first suggestion, reject the other
        page.click("text=Review")
        expect(page.locator("article.suggestion")).to_have_count(2)
        first = page.locator("article.suggestion").first
        first_code = first.locator("header strong").inner_text()
        first.locator("button[value=accept]").click()
        expect(page.locator("article.suggestion")).to_have_count(1)
        page.locator("article.suggestion button[value=reject]").click()
        expect(page.locator("text=Nothing waits for review.")).to_be_visible()

        # edit the case
        page.click("text=Cases")
        page.locator("table.list a").first.click()
        page.select_option("select[name=gender]", "female")
        page.fill("input[name=country_of_origin]", "SY")
        page.click("text=Save attributes")
        expect(page.locator(".saved")).to_be_visible()
        page.screenshot(path=str(tmp_path / "case.png"), full_page=True)
        browser.close()
    assert not errors

    after = build_findings(store, "accepted")
    counts = after.counts.set_index("code")["cases"]
    assert len(after.individuals) == 1
    assert counts[first_code] == 1 and counts["family_personal"] == 1
    assert counts[{"corruption": "infighting", "infighting": "corruption"}[first_code]] == 0
    women = after.crosstabs["gender"].set_index(["value", "code"])
    assert women.at[("female", "family_personal"), "cases"] == 1
    assert after.individuals["country_of_origin"].tolist() == ["SY"]
    write_report(store, tmp_path / "after.md", fmt="md", status="accepted", project="b",
                 actor="test")
    row = "| Family and personal life | {} | {} |"
    assert row.format(0, 0) in (tmp_path / "before.md").read_text(encoding="utf-8")
    assert row.format(1, 1) in (tmp_path / "after.md").read_text(encoding="utf-8")


def test_a_round_of_double_coding_from_sample_to_consensus(server: tuple[str, Store]) -> None:
    from playwright.sync_api import expect, sync_playwright

    from exitlens.services.coding import add_coding
    from exitlens.services.samples import list_samples

    url, store = server
    bo = add_user(store, "bo", PASSWORD, "coder", actor="test")
    add_user(store, "lea", PASSWORD, "admin", actor="test")
    ana = add_user(store, "ana2", PASSWORD, "coder", actor="test")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url + "/samples")
        _sign_in(page, "lea")
        page.fill("input[name=name]", "round-1")
        page.fill("input[name=size]", "1")
        page.check("input[name=coders][value=ana2]")
        page.check("input[name=coders][value=bo]")
        page.click("button:has-text('Draw')")
        expect(page.locator(".saved")).to_contain_text("round-1 drawn")
        expect(page.locator("table.list")).to_contain_text("open, blind")

        # the two coders code, each blind to the other (as in the reader)
        emir, purge = TEXT.index("the emir kept"), TEXT.index("her husband")
        with store.session() as tx:
            [amira] = [c["pseudonym"] for c in tx.cases_of_source(1)]
        add_coding(store, ana, source_id=1, start=emir, end=emir + 45, code="corruption",
                   case=amira)
        add_coding(store, ana, source_id=1, start=purge, end=purge + 55, code="infighting",
                   case=amira)
        add_coding(store, bo, source_id=1, start=emir + 4, end=emir + 45, code="corruption",
                   case=amira)

        page.click("button:has-text('Close the round')")
        expect(page.locator("table.list")).to_contain_text("closed")
        page.click("table.list a:has-text('agreement')")
        expect(page.locator("table.agreement")).to_contain_text("infighting")
        page.goto(url + "/samples")
        page.click("table.list a:has-text('reconcile')")
        units = page.locator("article.unit")
        expect(units).to_have_count(1)  # infighting: only ana marked it
        expect(units.first.locator(".side", has_text="bo")).to_contain_text("did not mark it")
        units.first.locator("input[name=memo]").fill("the purge is his reason, bo missed it")
        units.first.locator("button", has_text="Take ana2's").click()
        expect(page.locator(".saved")).to_contain_text("Decided")
        expect(page.locator("article.unit")).to_have_count(0)
        page.select_option("select[name=state]", "decided")
        page.click("button:has-text('Show')")
        expect(page.locator("article.unit")).to_have_count(2)  # with the adopted agreed one
        expect(page.locator(".decision").first).to_contain_text("decided by lea")
        browser.close()
    assert not errors
    [sample] = list_samples(store)
    assert sample["closed_at"] is not None
    found = build_findings(store, "accepted")
    counts = found.counts.set_index("code")["cases"]
    assert counts["infighting"] == 1 and counts["corruption"] == 1
    with store.session() as tx:
        table = tx.coding_table(["accepted"], counted=True)
    assert {row[table.columns.index("coder")] for row in table.rows} == {"consensus"}
