"""Codebooks: schema, YAML load and save with line-numbered errors, and the default codebook."""

from exitlens.codebook.loader import (
    default_codebook_text,
    dump_codebook,
    load_codebook_file,
    load_default_codebook,
    parse_codebook,
)
from exitlens.codebook.model import Codebook, CodeSpec, FlatCode, Group, PropagandaClaim

__all__ = [
    "CodeSpec",
    "Codebook",
    "FlatCode",
    "Group",
    "PropagandaClaim",
    "default_codebook_text",
    "dump_codebook",
    "load_codebook_file",
    "load_default_codebook",
    "parse_codebook",
]
