"""Settings from the environment (prefix INSATS_), with the embedded default: SQLite under var/."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///var/insats.db"


class Settings(BaseSettings):
    """Runtime configuration.

    INSATS_DATABASE_URL: SQLAlchemy URL; ``postgresql://user@host:5432/db`` in production.
    INSATS_LANGUAGE: ``sv`` (default) or ``en`` for messages.
    INSATS_JOBS_IN_PROCESS: whether the web process runs queued jobs itself (default: yes
    on SQLite, no on PostgreSQL, where ``insats worker`` processes run them).
    """

    model_config = SettingsConfigDict(env_prefix="INSATS_", env_file=".env", extra="ignore")

    database_url: str = Field(default=DEFAULT_DATABASE_URL)
    language: str = Field(default="sv")
    jobs_in_process: bool | None = Field(default=None)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
