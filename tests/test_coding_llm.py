"""LLMCoder against a real local HTTP server that speaks the chat-completions protocol."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from exitlens.codebook import Codebook, load_default_codebook
from exitlens.coding.base import NotFittedError, check_coder
from exitlens.coding.llm import LLMCoder, LLMError
from exitlens.errors import ExitLensError, SettingsError
from exitlens.records import CodingInput, Segment
from exitlens.settings import Settings

MODEL = "fake-model"
SECRET = "sk-secret-123"
KEYWORDS = {  # keyword in a segment -> code the fake model answers, with the keyword as quote
    "paid": "quality_of_life",
    "fitna": "infighting",
    "children": "brutality_sunni.civilians",
    "mother": "family_personal",
    "deserters": "barrier_reprisal",
    "mirage": "other",  # quoted with words that are not in the segment
    "zebra": "zebra_code",  # not in the codebook
    "ghost": "corruption",  # answered for a segment number that was not sent
}


@dataclass
class FakeLLM:
    """What the fake server saw, and how it answers: one behaviour from ``plan`` per request,
    then keyword answers shaped by ``answer_format``."""

    url: str = ""
    api_key: str | None = None
    answer_format: str = "object"
    plan: list[str] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, path: str, auth: str | None, payload: dict[str, Any]) -> str | None:
        expected_auth = f"Bearer {self.api_key}" if self.api_key else None
        format_ = payload.get("response_format") or {}
        schema = format_.get("json_schema") or {}
        roles = [m.get("role") for m in payload.get("messages", [])]
        problems = [
            path != "/v1/chat/completions" and f"path {path}",
            payload.get("model") != MODEL and f"model {payload.get('model')}",
            roles != ["system", "user"] and f"roles {roles}",
            format_.get("type") != "json_schema" and "response_format type",
            not schema.get("name") and "schema name",
            schema.get("strict") is not True and "strict",
            not isinstance(schema.get("schema"), dict) and "schema",
            auth != expected_auth and f"authorization {auth!r}",
        ]
        return "; ".join(p for p in problems if p) or None

    def codings(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        system, user = (m["content"] for m in payload["messages"])
        assert "LEAVING" in system and "quality_of_life" in system
        out = []
        for segment in json.loads(user)["segments"]:
            text, number = segment["text"], segment["segment"]
            for keyword, code in KEYWORDS.items():
                at = text.lower().find(keyword)
                if at < 0:
                    continue
                quote = "words that are not there" if keyword == "mirage" else \
                    text[at:at + len(keyword)]
                out.append({"segment": number + 1000 if keyword == "ghost" else number,
                            "code": code, "confidence": 0.9, "quote": quote,
                            "reason": f"mentions {keyword}"})
        return out

    def content(self, payload: dict[str, Any]) -> str:
        codings = self.codings(payload)
        if self.answer_format == "list":
            return json.dumps(codings)
        if self.answer_format == "fenced":
            return "Here you are:\n```json\n" + json.dumps(codings, indent=2) + "\n```\n"
        return json.dumps({"codings": codings})


class _Server(ThreadingHTTPServer):
    fake: FakeLLM

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (the timeout test) is not an error of the fake."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        fake = self.server.fake
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        auth = self.headers.get("Authorization")
        with fake.lock:
            behaviour = fake.plan.pop(0) if fake.plan else "answer"
            fake.requests.append({"path": self.path, "auth": auth, "payload": payload})
        problem = fake.check(self.path, auth, payload)
        if problem:
            fake.problems.append(problem)
            self._send(400, {"error": {"message": problem}})
        elif behaviour in ("500", "429"):
            self._send(int(behaviour), {"error": {"message": "overloaded"}}, {"Retry-After": "0"})
        elif behaviour == "401":
            self._send(401, {"error": {"message": f"invalid key in {auth}"}})
        elif behaviour == "sleep":
            time.sleep(0.6)
            self._send(200, _completion("{}"))
        elif behaviour == "garbage":
            self._send(200, _completion("I think segment 0 is about pay {"))
        else:
            self._send(200, _completion(fake.content(payload)))

    def _send(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
              ) -> None:
        data = json.dumps(body).encode()
        try:
            self.send_response(status)
            for name, value in {"Content-Type": "application/json",
                                "Content-Length": str(len(data)), **(headers or {})}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _completion(content: str) -> dict[str, Any]:
    return {"id": "x", "object": "chat.completion", "model": MODEL, "choices": [
        {"index": 0, "finish_reason": "stop",
         "message": {"role": "assistant", "content": content}}]}


@pytest.fixture
def fake() -> Iterator[FakeLLM]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.fake = FakeLLM(url=f"http://127.0.0.1:{server.server_address[1]}/v1")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield server.fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert not server.fake.problems, server.fake.problems


@pytest.fixture(scope="module")
def codebook() -> Codebook:
    return load_default_codebook()


def make_document(key: str, *sentences: str, language: str = "en") -> CodingInput:
    """A document of ``sentences`` joined by one space, with exact segment offsets."""
    segments, at = [], 0
    for index, sentence in enumerate(sentences):
        segments.append(Segment(index, at, at + len(sentence), sentence, paragraph=0))
        at += len(sentence) + 1
    return CodingInput(key, " ".join(sentences), language, tuple(segments))


def coder_for(fake: FakeLLM, **params: Any) -> LLMCoder:
    return LLMCoder(base_url=fake.url, model=MODEL, **params)


DOCUMENTS = [
    make_document("a", "I joined in 2014.", "We were not paid for months.",
                  "My mother begged me to come home."),
    make_document("b", "Er sagte, es war fitna.", "They killed children in the market."),
    make_document("c", "Nothing of interest here."),
    make_document("d", "Everyone knew what happened to deserters.", "I was never paid."),
]


def test_check_coder_passes(fake: FakeLLM, codebook: Codebook) -> None:
    fake.api_key = SECRET
    check_coder(coder_for(fake, api_key=SECRET), codebook, [], DOCUMENTS)


def test_hits_span_the_quote_at_absolute_offsets(fake: FakeLLM, codebook: Codebook) -> None:
    document = DOCUMENTS[0]
    hits = coder_for(fake).fit(codebook).predict([document])
    found = {(h.code, h.evidence, h.rationale) for h in hits}
    assert found == {("quality_of_life", "paid", "mentions paid"),
                     ("family_personal", "mother", "mentions mother")}
    for hit in hits:
        assert document.text[hit.start:hit.end] == hit.evidence
        assert hit.coder == "llm.v1" and hit.confidence == 0.9
    paid = next(h for h in hits if h.code == "quality_of_life")
    assert paid.start == document.text.index("paid")


def test_unfound_quote_falls_back_to_the_whole_segment(fake: FakeLLM, codebook: Codebook
                                                      ) -> None:
    document = make_document("m", "Intro.", "It was all a mirage to me.")
    [hit] = coder_for(fake).fit(codebook).predict([document])
    assert (hit.code, hit.evidence) == ("other", "It was all a mirage to me.")
    assert (hit.start, hit.end) == (7, len(document.text))


def test_unknown_codes_and_segments_are_discarded(fake: FakeLLM, codebook: Codebook) -> None:
    document = make_document("z", "A zebra was paid.", "A ghost story.", "Fine.")
    coder = coder_for(fake).fit(codebook)
    hits = coder.predict([document])
    assert [(h.code, h.evidence) for h in hits] == [("quality_of_life", "paid")]
    assert coder.discarded_ == 2
    assert coder.predict([DOCUMENTS[2]]) == [] and coder.discarded_ == 0


def test_segments_go_in_batches(fake: FakeLLM, codebook: Codebook) -> None:
    sentences = [f"Month {i}: we were not paid." for i in range(5)]
    document = make_document("long", *sentences)
    batched = coder_for(fake, max_segments_per_request=2).fit(codebook).predict([document])
    sent = [json.loads(r["payload"]["messages"][1]["content"])["segments"]
            for r in fake.requests]
    assert [[s["segment"] for s in batch] for batch in sent] == [[0, 1], [2, 3], [4]]
    schema = fake.requests[0]["payload"]["response_format"]["json_schema"]["schema"]
    item = schema["properties"]["codings"]["items"]["properties"]
    assert item["segment"]["enum"] == [0, 1]
    assert {"quality_of_life.shortages", "hearsay"} <= set(item["code"]["enum"])
    whole = coder_for(fake).fit(codebook).predict([document])
    assert len(fake.requests) == 4
    assert sorted((h.start, h.code) for h in batched) == sorted((h.start, h.code) for h in whole)
    assert len(batched) == 5


@pytest.mark.parametrize("answer_format", ["list", "fenced"])
def test_bare_lists_and_fenced_answers_are_accepted(fake: FakeLLM, codebook: Codebook,
                                                    answer_format: str) -> None:
    expected = coder_for(fake).fit(codebook).predict(DOCUMENTS)
    fake.answer_format = answer_format
    assert coder_for(fake).fit(codebook).predict(DOCUMENTS) == expected
    assert len(expected) == 6


def test_no_key_no_authorization_header(fake: FakeLLM, codebook: Codebook) -> None:
    coder_for(fake).fit(codebook).predict(DOCUMENTS[:1])
    assert fake.requests[0]["auth"] is None


def test_server_errors_are_retried_once(fake: FakeLLM, codebook: Codebook) -> None:
    fake.plan = ["500", "answer", "429", "answer"]
    hits = coder_for(fake).fit(codebook).predict(DOCUMENTS[:2])
    assert len(fake.requests) == 4 and len(hits) == 4


def _raises(coder: LLMCoder, codebook: Codebook, *needles: str) -> str:
    coder.fit(codebook)
    with pytest.raises(LLMError) as info:
        coder.predict(DOCUMENTS)
    message = str(info.value)
    assert SECRET not in message
    for needle in needles:
        assert needle in message, message
    return message


def test_connection_refused_says_where_and_what_to_do(codebook: Codebook) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    coder = LLMCoder(base_url=f"http://127.0.0.1:{port}/v1", model=MODEL, api_key=SECRET)
    _raises(coder, codebook, f"http://127.0.0.1:{port}/v1/chat/completions",
            "cannot be reached", "EXITLENS_LLM_URL")


def test_failing_twice_gives_up(fake: FakeLLM, codebook: Codebook) -> None:
    fake.api_key, fake.plan = SECRET, ["500", "500"]
    _raises(coder_for(fake, api_key=SECRET), codebook, "HTTP 500 twice", fake.url)
    assert len(fake.requests) == 2


def test_refused_key_is_named_but_not_shown(fake: FakeLLM, codebook: Codebook) -> None:
    fake.api_key, fake.plan = SECRET, ["401"]
    message = _raises(coder_for(fake, api_key=SECRET), codebook, "HTTP 401", "API key")
    assert "Bearer ***" in message
    assert len(fake.requests) == 1


def test_timeout_says_how_long_and_what_to_do(fake: FakeLLM, codebook: Codebook) -> None:
    fake.api_key, fake.plan = SECRET, ["sleep"]
    _raises(coder_for(fake, api_key=SECRET, timeout=0.2), codebook, "within 0.2 s",
            "EXITLENS_LLM_TIMEOUT", fake.url)


def test_garbage_answer_is_an_error(fake: FakeLLM, codebook: Codebook) -> None:
    fake.api_key, fake.plan = SECRET, ["garbage"]
    _raises(coder_for(fake, api_key=SECRET), codebook, "not the JSON asked for",
            "document 'a'", "structured output")


def test_errors_are_exitlens_errors() -> None:
    assert issubclass(LLMError, ExitLensError)


def test_no_network_before_predict(codebook: Codebook) -> None:
    coder = LLMCoder(base_url="http://127.0.0.1:9/v1", model=MODEL)
    with pytest.raises(NotFittedError):
        coder.predict(DOCUMENTS)
    assert coder.fit(codebook).predict([]) == []
    assert coder.base_url == "http://127.0.0.1:9/v1" and coder.max_segments_per_request == 40


def test_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("EXITLENS_LLM_URL", "EXITLENS_LLM_MODEL", "EXITLENS_LLM_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(SettingsError, match="EXITLENS_LLM_URL"):
        LLMCoder.from_settings(Settings())
    monkeypatch.setenv("EXITLENS_LLM_URL", "http://127.0.0.1:11434/v1")
    monkeypatch.setenv("EXITLENS_LLM_MODEL", "qwen2.5:14b")
    monkeypatch.setenv("EXITLENS_LLM_TIMEOUT", "5")
    coder = LLMCoder.from_settings(Settings(), temperature=0.5)
    assert (coder.base_url, coder.model, coder.api_key, coder.timeout, coder.temperature) == (
        "http://127.0.0.1:11434/v1", "qwen2.5:14b", None, 5.0, 0.5)


def test_importing_the_module_does_not_import_httpx() -> None:
    code = "import sys, exitlens.coding.llm; print('httpx' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"
