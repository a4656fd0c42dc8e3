"""Server processes for tests that kill, restart or run several of them."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp

from server.config import Settings


def clean_environ() -> dict[str, str]:
    """The environment without any KVARTER_* setting of the developer's shell."""
    return {k: v for k, v in os.environ.items() if not k.startswith("KVARTER_")}


class ServerProcess:
    """`python -m server serve` in a child process, configured through KVARTER_* variables."""

    def __init__(self, settings: Settings, *, port: int, log_path: Path) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self.env = {
            **clean_environ(),
            "KVARTER_SECRET_KEY": settings.secret_key,
            "KVARTER_DATABASE_URL": settings.database_url,
            "KVARTER_PORT": str(port),
            "KVARTER_HOST": "127.0.0.1",
            "KVARTER_ALLOWED_ORIGINS": self.url,
            "KVARTER_STATIC_DIR": str(settings.static_dir),
            "KVARTER_REDIS_PREFIX": settings.redis_prefix,
            "KVARTER_REDIS_URL": settings.redis_url or "",
            "KVARTER_ANONYMOUS_BURST": str(settings.anonymous_burst),
            "KVARTER_YOUTH_CHAT_BURST": str(settings.youth_chat_burst),
        }
        self.proc: subprocess.Popen[bytes] | None = None

    async def start(self) -> None:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(  # noqa: ASYNC220 - a child process, started once
            [sys.executable, "-m", "server", "serve"], env=self.env, stdout=log, stderr=log
        )
        log.close()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        async with aiohttp.ClientSession() as http:
            while loop.time() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"server exited: {self.log_path.read_text()[-2000:]}")
                try:
                    async with http.get(f"{self.url}/readyz") as resp:
                        if resp.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        self.kill()
        raise RuntimeError("server did not become ready in 30 s")

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flushing — what a crash looks like."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
