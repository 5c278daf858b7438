"""A small clamd client (INSTREAM over a UNIX or TCP socket), used only when a server is configured."""

from __future__ import annotations

import socket
import struct

from django.conf import settings

CHUNK = 64 * 1024


class ScannerUnavailable(RuntimeError):
    """clamd is configured but could not be reached or answered nonsense."""


def is_configured() -> bool:
    return bool(getattr(settings, "CLAMD_SOCKET", "") or getattr(settings, "CLAMD_HOST", ""))


def _connect() -> socket.socket:
    timeout = getattr(settings, "CLAMD_TIMEOUT", 30)
    if getattr(settings, "CLAMD_SOCKET", ""):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(settings.CLAMD_SOCKET)
        return sock
    return socket.create_connection((settings.CLAMD_HOST, getattr(settings, "CLAMD_PORT", 3310)), timeout=timeout)


def scan(content: bytes) -> str | None:
    """The name of the malware clamd found in ``content``, or None when it is clean."""
    try:
        with _connect() as sock:
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(content), CHUNK):
                chunk = content[start:start + CHUNK]
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                data = sock.recv(4096)
                if not data:
                    break
                reply += data
    except OSError as exc:
        raise ScannerUnavailable(str(exc)) from exc
    answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    if answer.endswith("OK"):
        return None
    if answer.endswith("FOUND"):
        return answer.split(":", 1)[-1].rsplit(" ", 1)[0].strip()
    raise ScannerUnavailable(answer or "no answer")
