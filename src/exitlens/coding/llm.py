"""LLMCoder: ask an OpenAI-compatible chat-completions endpoint to code documents.

Any server that answers ``POST {base_url}/chat/completions`` with structured output
(``response_format`` of type ``json_schema``) will do: Ollama, vLLM, the llama.cpp server, or a
hosted service::

    coder = LLMCoder(base_url="http://127.0.0.1:11434/v1", model="qwen2.5:14b").fit(codebook)
    hits = coder.predict(documents)

The codebook goes into the system prompt; each document's segments go, numbered, in batches
of ``max_segments_per_request``. An answer item becomes a Hit spanning its quote inside the
segment, or the whole segment when the quote is not found there. Items that name a segment or
a code not asked about are dropped and counted in ``discarded_`` (reset by every predict).
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

from exitlens.codebook import Codebook, CodeSpec
from exitlens.coding.base import Coder, make_hit
from exitlens.errors import ExitLensError, SettingsError
from exitlens.records import CodingInput, Hit, Segment, TrainingDocument

if TYPE_CHECKING:
    import httpx

    from exitlens.settings import Settings

SCHEMA_NAME = "exitlens_codings"
EXAMPLES_PER_CODE = 2
EXAMPLES_PER_SUBCODE = 1
EXCERPT_CHARS = 300
MAX_RETRY_WAIT = 10.0
QUOTE_MARKS = "\"'“”„«»‘’‚‹› "
FENCED = re.compile(r"```[A-Za-z]*\s*(.*?)```", re.DOTALL)
THINKING = re.compile(r"^\s*<think>.*?</think>", re.DOTALL)

RULES = """\
You code public accounts of people who left violent extremist groups, using the codebook below.

The user sends JSON: {"language": ..., "segments": [{"segment": <number>, "text": ...,
"speaker": ... (when known)}]}. For every segment, decide which codes of the codebook apply.

Rules:
- Reason codes are only for reasons the person gives for LEAVING the group or turning against
  it, as things they actually experienced. Reasons for joining, and descriptions of life inside
  that the account does not present as a reason or a doubt, are not coded.
- Negated reasons ("that was not why I left"), hypothetical ones ("if they had beaten me I
  would have left") and promises that were kept or merely mentioned are not coded. A promise
  counts only when the account says it was broken.
- Context codes are not reasons. Use them only as their definitions say: barriers to leaving,
  a stance that still supports the group's violence, warnings to would-be recruits, and
  reasons reported second-hand (also give the reason its own code).
- A segment may carry several codes; most segments carry none. Prefer the most specific code:
  a sub-code (parent.child) when one fits, else its parent. Use "other" only for a reason for
  leaving that fits no other code.
- Segments may be in any language. "quote" is the shortest run of words that carries the code,
  copied character for character from that segment, or null. "reason" says in one short
  English sentence why the code applies. "confidence" is your probability, 0 to 1, that the
  code applies.
- Answer with JSON only: {"codings": [{"segment": <number>, "code": "<code id>",
  "confidence": <0..1>, "quote": "<exact words>" or null, "reason": "<why>"}]}, and
  {"codings": []} when no segment carries a code."""


class LLMError(ExitLensError):
    """The LLM endpoint cannot be reached, refused the request, or answered something unusable."""


class LLMCoder(Coder):
    """Code segments with any OpenAI-compatible chat-completions endpoint (optional, networked).

    ``transport`` takes an ``httpx`` transport (``httpx.MockTransport`` in tests); a coder
    holding one pickles only if the transport does.
    """

    name: ClassVar[str] = "llm.v1"
    capabilities: ClassVar[frozenset[str]] = frozenset({"network", "multilingual", "spans"})
    retry_wait: ClassVar[float] = 0.5

    def __init__(self, *, base_url: str, model: str, api_key: str | None = None,
                 timeout: float = 60.0, max_segments_per_request: int = 40,
                 temperature: float = 0.0, transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url
        self.model = model
        self.api_key = api_key
        self.timeout = timeout
        self.max_segments_per_request = max_segments_per_request
        self.temperature = temperature
        self.transport = transport

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> LLMCoder:
        """A coder for EXITLENS_LLM_URL / _MODEL / _API_KEY / _TIMEOUT; keywords override."""
        if not settings.llm_url or not settings.llm_model:
            raise SettingsError(
                "the LLM coder needs an endpoint and a model: set EXITLENS_LLM_URL (e.g. "
                "http://127.0.0.1:11434/v1 for Ollama) and EXITLENS_LLM_MODEL (e.g. qwen2.5:14b)")
        params: dict[str, Any] = {"base_url": settings.llm_url, "model": settings.llm_model,
                                  "api_key": settings.llm_api_key, "timeout": settings.llm_timeout}
        return cls(**{**params, **overrides})

    def _fit(self, codebook: Codebook, training: Sequence[TrainingDocument]) -> None:
        if self.max_segments_per_request < 1:
            raise ValueError(f"max_segments_per_request must be at least 1, "
                             f"got {self.max_segments_per_request}")
        self.code_ids_ = tuple(code.id for code in codebook.flat_codes())
        self.system_prompt_ = build_system_prompt(codebook)
        self.discarded_ = 0

    def _predict(self, documents: Sequence[CodingInput]) -> list[Hit]:
        self.discarded_ = 0
        jobs = [(document, batch) for document in documents
                for batch in _batches(document.segments, self.max_segments_per_request)]
        if not jobs:
            return []
        import httpx

        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        hits: list[Hit] = []
        with httpx.Client(transport=self.transport, timeout=self.timeout,
                          headers=headers) as client:
            for document, batch in jobs:
                items = self._ask(client, document, batch)
                hits.extend(self._to_hits(document, batch, items))
        return hits

    def _ask(self, client: httpx.Client, document: CodingInput,
             batch: Sequence[Segment]) -> list[Any]:
        segments = [{"segment": s.index, "text": s.text}
                    | ({"speaker": s.speaker} if s.speaker else {}) for s in batch]
        user = json.dumps({"language": document.language or "unknown", "segments": segments},
                          ensure_ascii=False)
        schema = build_answer_schema(self.code_ids_, [s.index for s in batch])
        payload = {
            "model": self.model,
            "temperature": self.temperature,
            "messages": [{"role": "system", "content": self.system_prompt_},
                         {"role": "user", "content": user}],
            "response_format": {"type": "json_schema", "json_schema": {
                "name": SCHEMA_NAME, "schema": schema, "strict": True}},
        }
        response = self._post(client, payload)
        content, finish_reason = self._content(response)
        items = parse_codings(content)
        if items is None:
            cut = (" (the answer was cut off at the length limit)"
                   if finish_reason == "length" else "")
            raise self._error(
                f"answered for document {document.key!r} with content that is not the JSON "
                f"asked for{cut}: {_excerpt(content)!r}. Use a model and server that support "
                "structured output (response_format json_schema), or lower "
                "max_segments_per_request")
        return items

    def _post(self, client: httpx.Client, payload: dict[str, Any]) -> httpx.Response:
        import httpx

        for attempt in (1, 2):
            try:
                response = client.post(self.endpoint, json=payload)
            except httpx.TimeoutException as exc:
                raise self._error(
                    f"did not answer within {self.timeout:g} s. Check that the server is "
                    "running and the model loaded, then raise the timeout "
                    "(EXITLENS_LLM_TIMEOUT) or lower max_segments_per_request") from exc
            except httpx.ConnectError as exc:
                raise self._error(
                    f"cannot be reached ({exc}). Start the server (for Ollama: `ollama serve`) "
                    "or fix the URL (EXITLENS_LLM_URL)") from exc
            except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
                raise self._error(
                    f"is not a usable URL ({exc}). Give the full address with its scheme, "
                    "e.g. http://127.0.0.1:11434/v1 (EXITLENS_LLM_URL)") from exc
            except httpx.HTTPError as exc:
                raise self._error(f"failed: {exc}. Check the URL and the server") from exc
            retriable = response.status_code == 429 or response.status_code >= 500
            if not retriable or attempt == 2:
                break
            time.sleep(_retry_wait(response, self.retry_wait))
        if response.is_error:
            raise self._error(self._status_problem(response))
        return response

    def _status_problem(self, response: httpx.Response) -> str:
        status, detail = response.status_code, _excerpt(_error_detail(response))
        if status in (401, 403):
            key = ("check the API key (EXITLENS_LLM_API_KEY)" if self.api_key
                   else "no API key was sent: set EXITLENS_LLM_API_KEY")
            return f"refused the request (HTTP {status}: {detail}): {key}"
        if status == 404:
            return (f"answered HTTP 404 ({detail}): check that the URL ends where the API "
                    "starts (usually /v1, e.g. http://127.0.0.1:11434/v1) and that model "
                    f"{self.model!r} exists on the server")
        if status == 429:
            return (f"kept refusing with HTTP 429, too many requests ({detail}): wait and try "
                    "again, or raise the rate limit of the service")
        if status >= 500:
            return (f"failed with HTTP {status} twice ({detail}): check the server's log and "
                    "try again once it is healthy")
        return (f"rejected the request (HTTP {status}: {detail}): check the model name "
                f"{self.model!r} and that the server supports structured output "
                "(response_format json_schema)")

    def _content(self, response: httpx.Response) -> tuple[str, str | None]:
        try:
            body = response.json()
        except ValueError:
            raise self._error(
                f"answered with something that is not JSON: {_excerpt(response.text)!r}. Check "
                "that the URL points at an OpenAI-compatible API (usually ending in /v1)"
            ) from None
        try:
            message = body["choices"][0]["message"]
            finish_reason = body["choices"][0].get("finish_reason")
        except (KeyError, IndexError, TypeError, AttributeError):
            raise self._error(
                f"answered without choices[0].message: {_excerpt(response.text)!r}. Check that "
                "the URL points at an OpenAI-compatible chat-completions API") from None
        content = message.get("content") if isinstance(message, dict) else None
        if not isinstance(content, str):
            refusal = message.get("refusal") if isinstance(message, dict) else None
            why = f"the model refused: {_excerpt(str(refusal))!r}" if refusal else "no content"
            raise self._error(f"answered with {why}. Try another model")
        return content, finish_reason

    def _to_hits(self, document: CodingInput, batch: Sequence[Segment],
                 items: list[Any]) -> list[Hit]:
        segments = {s.index: s for s in batch}
        codes = frozenset(self.code_ids_)
        best: dict[tuple[int, int, str], Hit] = {}
        for item in items:
            coding = _read_item(item, segments, codes)
            if coding is None:
                self.discarded_ += 1
                continue
            segment, code, confidence, quote, reason = coding
            found = quote_offsets(quote, segment.text) if quote else None
            start, end = found or (0, len(segment.text))
            hit = make_hit(document, segment.start + start, segment.start + end, code,
                           confidence, self.name, reason or None)
            key = (hit.start, hit.end, hit.code)
            if key not in best or hit.confidence > best[key].confidence:
                best[key] = hit
        return list(best.values())

    @property
    def endpoint(self) -> str:
        base = self.base_url.rstrip("/")
        return base if base.endswith("/chat/completions") else f"{base}/chat/completions"

    def _error(self, problem: str) -> LLMError:
        message = f"LLM endpoint {_display_url(self.endpoint)} {problem}."
        if self.api_key:
            message = message.replace(self.api_key, "***")
        return LLMError(message)


def build_system_prompt(codebook: Codebook) -> str:
    parts = [RULES, f"\nCodebook: {codebook.name} (version {codebook.version})."]
    if codebook.description:
        parts.append(f"Codebook notes: {codebook.description}")
    parts.append("\n# Reason codes")
    parts.extend(_describe(spec) for spec in codebook.codes)
    if codebook.context_codes:
        parts.append("\n# Context codes (never reasons)")
        parts.extend(_describe(spec) for spec in codebook.context_codes)
    return "\n".join(parts)


def _describe(spec: CodeSpec) -> str:
    lines = [f"\n## {spec.id}: {spec.name}", f"Definition: {spec.definition}"]
    lines.extend(_bullets("Include", spec.include))
    lines.extend(_bullets("Exclude", spec.exclude))
    lines.extend(_bullets("Examples", [f'"{e}"' for e in spec.examples[:EXAMPLES_PER_CODE]]))
    if spec.children:
        lines.append("Sub-codes:")
    for child in spec.children:
        examples = " ".join(f'Example: "{e}"' for e in child.examples[:EXAMPLES_PER_SUBCODE])
        lines.append(f"- {child.id} ({child.name}): {child.definition} {examples}".rstrip())
    return "\n".join(lines)


def _bullets(title: str, items: Sequence[str]) -> list[str]:
    return [f"{title}:", *(f"- {item}" for item in items)] if items else []


def build_answer_schema(code_ids: Sequence[str], segment_numbers: Sequence[int]) -> dict[str, Any]:
    """The JSON schema of an answer; strict-mode compatible (object root, all keys required)."""
    coding = {
        "type": "object",
        "properties": {
            "segment": {"type": "integer", "enum": list(segment_numbers)},
            "code": {"type": "string", "enum": list(code_ids)},
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            "quote": {"type": ["string", "null"]},
            "reason": {"type": "string"},
        },
        "required": ["segment", "code", "confidence", "quote", "reason"],
        "additionalProperties": False,
    }
    return {"type": "object", "properties": {"codings": {"type": "array", "items": coding}},
            "required": ["codings"], "additionalProperties": False}


def parse_codings(content: str) -> list[Any] | None:
    """The answer's list of codings: bare, as {"codings": [...]}, or in ```json fences."""
    text = THINKING.sub("", content).strip()
    candidates = [text, *(m.group(1).strip() for m in FENCED.finditer(text))]
    for candidate in candidates:
        try:
            data = json.loads(candidate)
        except json.JSONDecodeError:
            continue
        if isinstance(data, dict) and isinstance(data.get("codings"), list):
            return list(data["codings"])
        if isinstance(data, list):
            return data
    return None


def quote_offsets(quote: str, text: str) -> tuple[int, int] | None:
    """Where ``quote`` occurs in ``text``: exactly, else without outer quote marks, else with
    any run of whitespace matching any other."""
    for candidate in dict.fromkeys((quote, quote.strip(QUOTE_MARKS))):
        if candidate and (at := text.find(candidate)) >= 0:
            return at, at + len(candidate)
    words = quote.strip(QUOTE_MARKS).split()
    if words and (match := re.search(r"\s+".join(map(re.escape, words)), text)):
        return match.start(), match.end()
    return None


def _read_item(item: Any, segments: dict[int, Segment], codes: frozenset[str]
               ) -> tuple[Segment, str, float, str | None, str | None] | None:
    if not isinstance(item, dict):
        return None
    number, code, confidence = item.get("segment"), item.get("code"), item.get("confidence")
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    if isinstance(number, bool) or not isinstance(number, int) or number not in segments:
        return None
    if not isinstance(code, str) or code.strip() not in codes:
        return None
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        return None
    if not math.isfinite(confidence):
        return None
    quote, reason = item.get("quote"), item.get("reason")
    return (segments[number], code.strip(), float(confidence),
            quote if isinstance(quote, str) else None,
            reason.strip() if isinstance(reason, str) else None)


def _batches(segments: Sequence[Segment], size: int) -> list[list[Segment]]:
    codable = [s for s in segments if s.text.strip() and s.end > s.start]
    return [codable[i:i + size] for i in range(0, len(codable), size)]


def _retry_wait(response: httpx.Response, default: float) -> float:
    try:
        wait = float(response.headers.get("Retry-After", default))
    except ValueError:
        wait = default
    return min(max(wait, 0.0), MAX_RETRY_WAIT)


def _error_detail(response: httpx.Response) -> str:
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        return response.text or response.reason_phrase
    if isinstance(error, dict) and error.get("message"):
        return str(error["message"])
    return str(error) if error else response.text


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT_CHARS else flat[:EXCERPT_CHARS] + "…"


def _display_url(url: str) -> str:
    """The URL without user, password, query or fragment, which may carry secrets."""
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
