"""The one place environment variables are read."""

from __future__ import annotations

import getpass
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Environment: EXITLENS_PROJECT, EXITLENS_DB_URL, EXITLENS_USER, EXITLENS_MAX_FILE_MB."""

    model_config = SettingsConfigDict(env_prefix="EXITLENS_", extra="ignore")

    project: Path | None = None
    db_url: str | None = None
    user: str | None = None
    max_file_mb: float = Field(default=25.0, gt=0)
    llm_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout: float = 60.0

    def actor(self) -> str:
        """Who the event log names for changes made from this shell."""
        if self.user:
            return self.user
        try:
            return f"cli:{getpass.getuser()}"
        except (KeyError, OSError):
            return "cli:unknown"


def load_settings() -> Settings:
    return Settings()
