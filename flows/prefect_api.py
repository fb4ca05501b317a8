"""Prefect's temporary API server, started at the beginning of a command, not when the first run needs it.

With no ``PREFECT_API_URL`` configured, Prefect starts a temporary local
server (``uvicorn prefect.server.api.server:create_app`` in a subprocess)
the first time a flow run needs the API, and waits for it: about 4 s on an
idle 2-CPU machine, and the caller first imports the whole Prefect server
package (~2 CPU s) just to launch it.  ``start_early()`` launches the same
command before Prefect is imported, so its start-up overlaps the parsing,
and points this process at it (``PREFECT_API_URL``); ``wait_ready()`` waits
for its health check only when the first run is created.  The server is
stopped at exit, like Prefect's own.

It does this only when Prefect would start a temporary server itself: no API
URL in the environment or the active profile, ephemeral mode allowed, no
``prefect.toml``, ``.env`` or ``[tool.prefect]`` in the working folder, and
Prefect not yet imported (a test harness or an embedding program keeps its
own setup).  Otherwise it does nothing and Prefect behaves as it always does.
"""

from __future__ import annotations

import atexit
import os
import random
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

_SERVER: dict[str, object] = {}


def _active_profile() -> dict[str, str]:
    """The active Prefect profile's settings (``PREFECT_*`` names), as Prefect would read them."""
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    path = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    data: dict = {}
    if path.exists():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    name = os.environ.get("PREFECT_PROFILE") or data.get("active") or "ephemeral"
    profiles = data.get("profiles", {})
    if name not in profiles and name == "ephemeral":
        return {"PREFECT_SERVER_EPHEMERAL_ENABLED": "true"}  # Prefect's built-in default profile
    return {str(k): str(v) for k, v in profiles.get(name, {}).items()}


def _truthy(value: str | None) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def would_start_temporary_server() -> dict[str, str] | None:
    """The settings Prefect's temporary server would get, when Prefect would start one; else None."""
    if "prefect" in sys.modules or os.environ.get("PREFECT_API_URL"):
        return None
    cwd = Path.cwd()
    if (cwd / "prefect.toml").exists() or (cwd / ".env").exists():
        return None
    pyproject = cwd / "pyproject.toml"
    if pyproject.exists() and "[tool.prefect" in pyproject.read_text(encoding="utf-8", errors="replace"):
        return None
    try:
        profile = _active_profile()
    except (OSError, tomllib.TOMLDecodeError):
        return None
    if profile.get("PREFECT_API_URL"):
        return None
    merged = {**profile, **{k: v for k, v in os.environ.items() if k.startswith("PREFECT_")}}
    enabled = merged.get("PREFECT_SERVER_EPHEMERAL_ENABLED", merged.get("PREFECT_SERVER_ALLOW_EPHEMERAL_MODE"))
    return merged if _truthy(enabled) else None


def _free_port() -> int:
    for _ in range(20):
        port = random.randrange(8000, 9000)  # Prefect's own range for its temporary server
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port for the temporary Prefect server")


def _launch(settings: dict[str, str], port: int) -> subprocess.Popen:
    import importlib.util

    spec = importlib.util.find_spec("prefect")
    assert spec is not None and spec.submodule_search_locations
    app_dir = str(Path(list(spec.submodule_search_locations)[0]).parent)
    env = {**settings, **os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
           "PREFECT__SERVER_FINAL": "1"}
    env.pop("PREFECT_API_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--app-dir", app_dir, "--factory", "prefect.server.api.server:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on"],
        env=env, stdin=subprocess.DEVNULL,
    )


def start_early() -> str | None:
    """Launch the temporary server now (if Prefect would start one) and point this process at it.

    Returns its API URL, or None when Prefect's own setup applies.  Call it
    before anything imports Prefect."""
    if "url" in _SERVER:
        return str(_SERVER["url"])
    settings = would_start_temporary_server()
    if settings is None:
        return None
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    _SERVER.update(proc=_launch(settings, port), url=url, port=port, settings=settings, ready=False)
    atexit.register(stop)  # registered before Prefect's own exit hooks, so it runs after them (LIFO)
    os.environ["PREFECT_API_URL"] = url
    return url


def wait_ready(timeout: float | None = None) -> None:
    """Block until the early server answers its health check (no-op without one)."""
    if not _SERVER or _SERVER.get("ready"):
        return
    if timeout is None:
        timeout = float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180"))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        proc: subprocess.Popen = _SERVER["proc"]  # type: ignore[assignment]
        code = proc.poll()
        if code is not None:
            if code == 3 and "prefect" not in sys.modules:  # uvicorn could not bind (the port was taken
                port = _free_port()                          # meanwhile): Prefect retries the same way
                _SERVER.update(proc=_launch(_SERVER["settings"], port), url=f"http://127.0.0.1:{port}/api",
                               port=port)  # type: ignore[arg-type]
                os.environ["PREFECT_API_URL"] = str(_SERVER["url"])
                continue
            raise RuntimeError(f"the temporary Prefect server exited with code {code} before it was ready")
        try:
            with urllib.request.urlopen(f"{_SERVER['url']}/health", timeout=2) as resp:
                if resp.status == 200:
                    _SERVER["ready"] = True
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"timed out after {timeout:g} s waiting for the temporary Prefect server at {_SERVER['url']}")


def stop() -> None:
    """Stop the early server (at exit): terminate, wait briefly, kill if it lingers."""
    proc = _SERVER.get("proc")
    if proc is None:
        return
    _SERVER.pop("proc")
    proc.terminate()  # type: ignore[attr-defined]
    try:
        proc.wait(timeout=5)  # type: ignore[attr-defined]
    except subprocess.TimeoutExpired:
        proc.kill()  # type: ignore[attr-defined]
        proc.wait()  # type: ignore[attr-defined]
