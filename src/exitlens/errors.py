"""Errors ExitLens raises on purpose. Each one says what was wrong, where, and what to do.

    ExitLensError
    ├── ProjectError        no project here, or one already exists
    ├── SettingsError       an environment variable or project setting is unusable
    ├── CodebookError       a codebook file breaks the format (file, line, field)
    ├── SourceError         an input file or table row cannot be imported (file, line)
    ├── StoreError          the database cannot be reached, or its schema is not ours
    ├── NotFoundError       a source, case or code that does not exist was asked for
    ├── UsageError          an option has a value that cannot be used (which, and the choices)
    ├── PermissionDenied    the signed-in user's role does not allow this
    └── ConflictError       someone else changed it first (reload and decide again)

The CLI prints ``str(error)`` without a traceback and exits with status 1.
"""

from __future__ import annotations


class ExitLensError(Exception):
    """Base of every error meant for a person to read."""


class ProjectError(ExitLensError):
    pass


class SettingsError(ExitLensError):
    pass


class CodebookError(ExitLensError):
    """A codebook problem, located by file, line and field where known."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self.file, self.line, self.field, self.reason = file, line, field, message
        where = ":".join(str(p) for p in (file, line) if p is not None)
        prefix = f"{where}: " if where else ""
        field_part = f"{field}: " if field else ""
        super().__init__(f"{prefix}{field_part}{message}")


class SourceError(ExitLensError):
    """One input cannot be imported; ``origin`` is the file as given, ``line`` the row if any."""

    def __init__(self, origin: str, reason: str, *, line: int | None = None) -> None:
        self.origin, self.reason, self.line = origin, reason, line
        where = f"{origin}:{line}" if line is not None else origin
        super().__init__(f"{where}: {reason}")


class StoreError(ExitLensError):
    pass


class NotFoundError(ExitLensError):
    pass


class UsageError(ExitLensError):
    pass


class PermissionDenied(ExitLensError):
    pass


class ConflictError(ExitLensError):
    pass
