"""Settings: one typed object, built once by the wiring (app.py, cli.py, worker.py) and passed down.

Nothing below the wiring reads the environment. Backends are chosen by URL-valued settings.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

GB = 1000**3


@dataclass(frozen=True)
class Settings:
    instance_path: Path
    database_url: str
    storage_url: str
    search_url: str
    tasks_url: str
    site_url: str = "http://127.0.0.1:5000"
    site_name: str = "Callimachus"
    secret_key: str = ""
    doi_prefix: str = "10.5072"
    doi_pattern: str = "{prefix}/callimachus.{recid}"
    oai_domain: str = "localhost"
    # Limits, as Zenodo's defaults.
    max_record_bytes: int = 50 * GB
    max_record_files: int = 100
    upload_buffer_bytes: int = 1024 * 1024
    orphan_grace_seconds: int = 24 * 3600
    # argon2id cost (argon2-cffi's RFC 9106 low-memory profile by default).
    password_time_cost: int = 3
    password_memory_kib: int = 65536
    tasks_queue: str = "callimachus"
    # How often the embargo job runs (the access rule opens files on time regardless).
    embargo_job_seconds: float = 60.0
    mail_url: str = ""
    mail_sender: str = "Callimachus <noreply@localhost>"
    admin_email: str = "admin@localhost"
    # OAI-PMH: empty name/e-mail fall back to site_name/admin_email (see services/oai.py).
    oai_repository_name: str = ""
    oai_admin_email: str = ""
    oai_page_size: int = 250
    oai_token_lifetime_seconds: int = 24 * 3600
    # URLs per sitemap page (the sitemaps protocol allows at most 50,000).
    sitemap_page_size: int = 50_000
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def outbox_path(self) -> Path:
        return self.instance_path / "outbox"

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    return int(raw) if raw not in (None, "") else default


def settings_from_env(env: Mapping[str, str] | None = None, instance_path: str | Path | None = None) -> Settings:
    """Read ``CALLIMACHUS_*`` variables. Only the wiring layer calls this."""
    env = os.environ if env is None else env
    instance = Path(instance_path or env.get("CALLIMACHUS_INSTANCE_PATH") or "instance").resolve()
    site_url = env.get("CALLIMACHUS_SITE_URL") or f"http://127.0.0.1:{env.get('PORT') or 5000}"
    return Settings(
        instance_path=instance,
        database_url=env.get("CALLIMACHUS_DATABASE_URL") or f"sqlite:///{instance / 'callimachus.db'}",
        storage_url=env.get("CALLIMACHUS_STORAGE_URL") or f"file://{instance / 'files'}",
        search_url=env.get("CALLIMACHUS_SEARCH_URL") or f"tantivy://{instance / 'index'}",
        tasks_url=env.get("CALLIMACHUS_TASKS_URL") or "inline://",
        site_url=site_url.rstrip("/"),
        site_name=env.get("CALLIMACHUS_SITE_NAME") or "Callimachus",
        secret_key=env.get("CALLIMACHUS_SECRET_KEY") or "",
        doi_prefix=env.get("CALLIMACHUS_DOI_PREFIX") or "10.5072",
        doi_pattern=env.get("CALLIMACHUS_DOI_PATTERN") or "{prefix}/callimachus.{recid}",
        oai_domain=env.get("CALLIMACHUS_OAI_DOMAIN") or (site_url.split("://", 1)[-1].split("/")[0].split(":")[0]),
        max_record_bytes=_int(env, "CALLIMACHUS_MAX_RECORD_BYTES", 50 * GB),
        max_record_files=_int(env, "CALLIMACHUS_MAX_RECORD_FILES", 100),
        tasks_queue=env.get("CALLIMACHUS_TASKS_QUEUE") or "callimachus",
        embargo_job_seconds=float(env.get("CALLIMACHUS_EMBARGO_JOB_SECONDS") or 60),
        sitemap_page_size=_int(env, "CALLIMACHUS_SITEMAP_PAGE_SIZE", 50_000),
        mail_url=env.get("CALLIMACHUS_MAIL_URL") or "",
        mail_sender=env.get("CALLIMACHUS_MAIL_SENDER") or "Callimachus <noreply@localhost>",
        oai_repository_name=env.get("CALLIMACHUS_OAI_REPOSITORY_NAME") or "",
        oai_admin_email=env.get("CALLIMACHUS_OAI_ADMIN_EMAIL") or "",
        oai_page_size=_int(env, "CALLIMACHUS_OAI_PAGE_SIZE", 250),
        oai_token_lifetime_seconds=_int(env, "CALLIMACHUS_OAI_TOKEN_LIFETIME", 24 * 3600),
    )
