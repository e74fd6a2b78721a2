"""Settings: one object, read from environment variables (argument > env > default)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path


def default_data_dir() -> Path:
    """Per-user data folder: $XDG_DATA_HOME/learnpulse or ~/.local/share/learnpulse."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "learnpulse"


def default_database_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'learnpulse.sqlite3'}"


def parse_now(text: str | None) -> datetime | None:
    """An ISO 8601 'now' override; no offset means UTC."""
    if not text:
        return None
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


@dataclass(frozen=True)
class Settings:
    database_url: str = ""
    cache_redis_url: str | None = None
    redis_prefix: str = "learnpulse"  # the cache's and the sign-in counters' keys in Redis start with it
    cache_timeout_s: int = 300
    data_dir: Path = field(default_factory=default_data_dir)
    timezone: str = "UTC"
    now_override: datetime | None = None
    demo_learners: int = 2000
    demo_seed: int = 42
    seed_demo_on_empty: bool = True
    host: str = "127.0.0.1"
    port: int = 8050
    debug: bool = False
    secret_key: str | None = None  # None: a random key kept in the database (shared by every app process)
    trusted_header: str | None = None  # e.g. X-Forwarded-Email: single sign-on by a proxy
    trusted_proxies: tuple[str, ...] = ("127.0.0.1", "::1")  # addresses (or networks) the header is taken from
    secure_cookies: bool = False  # cookies only over HTTPS
    public_url: str | None = None  # the address people open, for links the CLI prints
    first_start_link: bool | None = None  # print a one-time owner sign-in link at serve (None: on SQLite)
    # None: migrate automatically on SQLite (the embedded database), never on a shared server database
    auto_migrate: bool | None = None
    smtp_url: str | None = field(default=None, repr=False)  # the weekly digest's mail server (dashboard/mail.py)
    mail_from: str | None = None  # the digest's From (default: LearnPulse <learnpulse@public host>)
    digest_thread: bool = False  # send due digests from a background thread of every app process

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides) -> Settings:
        env = dict(os.environ if env is None else env)
        data_dir = Path(env["LEARNPULSE_DATA_DIR"]) if env.get("LEARNPULSE_DATA_DIR") else default_data_dir()
        values = dict(
            database_url=env.get("DATABASE_URL") or default_database_url(data_dir),
            cache_redis_url=env.get("CACHE_REDIS_URL") or None,
            redis_prefix=env.get("LEARNPULSE_REDIS_PREFIX") or "learnpulse",
            cache_timeout_s=int(env.get("CACHE_TIMEOUT", "300")),
            data_dir=data_dir,
            timezone=env.get("LEARNPULSE_TIMEZONE", "UTC"),
            now_override=parse_now(env.get("LEARNPULSE_NOW")),
            demo_learners=int(env.get("LEARNPULSE_DEMO_LEARNERS", "2000")),
            demo_seed=int(env.get("LEARNPULSE_DEMO_SEED", "42")),
            seed_demo_on_empty=env.get("LEARNPULSE_SEED_DEMO", "1") not in ("0", "false", "no"),
            host=env.get("LEARNPULSE_HOST", "127.0.0.1"),
            port=int(env.get("LEARNPULSE_PORT", "8050")),
            debug=env.get("LEARNPULSE_DEBUG", "0") in ("1", "true", "yes"),
            secret_key=env.get("SECRET_KEY") or None,
            trusted_header=env.get("LEARNPULSE_TRUSTED_HEADER") or None,
            trusted_proxies=tuple(p.strip() for p in env.get("LEARNPULSE_TRUSTED_PROXIES", "127.0.0.1,::1").split(",")
                                  if p.strip()),
            secure_cookies=env.get("LEARNPULSE_SECURE_COOKIES", "0").lower() in ("1", "true", "yes"),
            public_url=env.get("LEARNPULSE_PUBLIC_URL") or None,
            first_start_link=_flag(env.get("LEARNPULSE_FIRST_START_LINK")),
            auto_migrate=_flag(env.get("LEARNPULSE_AUTO_MIGRATE")),
            smtp_url=env.get("LEARNPULSE_SMTP_URL") or None,
            mail_from=env.get("LEARNPULSE_MAIL_FROM") or None,
            digest_thread=env.get("LEARNPULSE_DIGEST", "off").strip().lower() in ("on", "1", "true", "yes"),
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)

    def now(self) -> datetime:
        """The 'now' of metrics.md: the override if set, else the wall clock, to the minute."""
        if self.now_override is not None:
            return self.now_override
        return datetime.now(UTC).replace(second=0, microsecond=0)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def base_url(self) -> str:
        """Where people open the app (LEARNPULSE_PUBLIC_URL, else the address serve listens on)."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def prints_first_start_link(self) -> bool:
        return self.is_sqlite if self.first_start_link is None else self.first_start_link

    @property
    def migrates_automatically(self) -> bool:
        return self.is_sqlite if self.auto_migrate is None else self.auto_migrate


def _flag(value: str | None) -> bool | None:
    if value is None or value == "":
        return None
    return value.strip().lower() in ("1", "true", "yes")
