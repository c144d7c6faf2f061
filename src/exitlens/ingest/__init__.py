"""Ingest: files and tables to Documents, language identification, near-duplicate signatures."""

from exitlens.ingest.readers import (
    FORMATS,
    FileResult,
    ReadOptions,
    iter_inputs,
    read_file,
    split_front_matter,
)

__all__ = ["FORMATS", "FileResult", "ReadOptions", "iter_inputs", "read_file",
           "split_front_matter"]
