"""Settings read from the environment, with embedded defaults for a laptop.

Everything a host may change lives here, so the rest of the code never reads
``os.environ`` itself and the README can list the variables from one place.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    tracker_store_url: str


def load_settings(environ: "os._Environ[str] | dict[str, str] | None" = None) -> Settings:
    """Read settings now (not at import time), so tests can point at temp dirs."""
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("STEADY_DATA_DIR", ".steady")).expanduser().resolve()
    database_url = env.get("STEADY_DATABASE_URL") or f"sqlite:///{data_dir / 'steady.db'}"
    tracker_url = env.get("STEADY_TRACKER_STORE_URL") or f"sqlite:///{data_dir / 'tracker.db'}"
    return Settings(data_dir=data_dir, database_url=database_url, tracker_store_url=tracker_url)


def write_endpoints(template: Path, target: Path, action_url: str) -> Path:
    """Copy ``endpoints.yml`` with the action server URL this process should use.

    ``endpoints.yml`` itself stays runnable as-is (``rasa shell`` with the action
    server on its default port); ``make run`` and the tests write a copy when the
    action server listens elsewhere.
    """
    import yaml

    endpoints = yaml.safe_load(template.read_text())
    endpoints["action_endpoint"] = {"url": action_url}
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(endpoints, sort_keys=False))
    return target
