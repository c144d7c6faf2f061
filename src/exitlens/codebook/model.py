"""The codebook schema: codes with definitions, rules, examples, children and context codes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

CODE_ID_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"
COLOUR_PATTERN = r"^#[0-9a-fA-F]{6}$"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Group(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)
    description: str = ""


class CodeSpec(_Frozen):
    id: str = Field(pattern=CODE_ID_PATTERN)
    name: str = Field(min_length=1)
    group: str | None = None
    colour: str | None = Field(default=None, pattern=COLOUR_PATTERN)
    definition: str = Field(min_length=1)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    patterns: tuple[str, ...] = Field(default=(), description=(
        "Cues for the keyword coder: plain phrases (whole words, flexible whitespace, '*' "
        "ends a word stem, '...' skips up to four words), 're:' raw regular expressions, "
        "optionally behind a language tag such as 'fr:' or 'de:' (untagged means English). "
        "Case-insensitive. See docs/codebook.md."))
    children: tuple[CodeSpec, ...] = ()


class PropagandaClaim(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    claim: str = Field(min_length=1)
    answered_by: tuple[str, ...] = ()


_TOP_LEVELS: dict[int, tuple[Codebook, dict[str, str]]] = {}


class Codebook(_Frozen):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    name: str = Field(min_length=1)
    version: str = Field(min_length=1)
    description: str = ""
    groups: tuple[Group, ...] = ()
    codes: tuple[CodeSpec, ...] = Field(min_length=1)
    context_codes: tuple[CodeSpec, ...] = ()
    propaganda_claims: tuple[PropagandaClaim, ...] = ()

    def flat_codes(self) -> list[FlatCode]:
        """Every code, parents before children, in file order."""
        out: list[FlatCode] = []

        def walk(spec: CodeSpec, kind: Literal["reason", "context"], top: CodeSpec,
                 parent: str | None, depth: int) -> None:
            out.append(FlatCode(id=spec.id, name=spec.name, kind=kind, top=top.id,
                                parent=parent, depth=depth, group=spec.group or top.group,
                                colour=spec.colour or top.colour, definition=spec.definition,
                                position=len(out)))
            for child in spec.children:
                walk(child, kind, top, spec.id, depth + 1)

        for spec in self.codes:
            walk(spec, "reason", spec, None, 0)
        for spec in self.context_codes:
            walk(spec, "context", spec, None, 0)
        return out

    def find(self, code_id: str) -> CodeSpec | None:
        stack = [*self.codes, *self.context_codes]
        while stack:
            spec = stack.pop()
            if spec.id == code_id:
                return spec
            stack.extend(spec.children)
        return None

    def top_level_of(self, code_id: str) -> str | None:
        """The top-level id a code rolls up to, or None when the code is not in this codebook."""
        entry = _TOP_LEVELS.get(id(self))
        if entry is None or entry[0] is not self:
            entry = (self, {flat.id: flat.top for flat in self.flat_codes()})
            _TOP_LEVELS[id(self)] = entry
        return entry[1].get(code_id)

    @property
    def reason_ids(self) -> tuple[str, ...]:
        return tuple(spec.id for spec in self.codes)

    @property
    def context_ids(self) -> tuple[str, ...]:
        return tuple(spec.id for spec in self.context_codes)


@dataclass(frozen=True, slots=True)
class FlatCode:
    id: str
    name: str
    kind: Literal["reason", "context"]
    top: str
    parent: str | None
    depth: int
    group: str | None
    colour: str | None
    definition: str
    position: int
