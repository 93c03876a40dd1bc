"""Real PostgreSQL and Redis on free loopback ports, for tests and benchmarks.

    with postgres_server(tmp_path) as db_env, redis_server(tmp_path) as lock_env:
        Assistant(..., extra_env={**db_env, **lock_env})

Each context manager yields the environment variables that point the
assistant at the service (the same names as in `.env`), and stops and removes
the service afterwards. Missing Debian packages are installed first through
scripts/ensure-debian-packages.sh, so a fresh CI machine needs nothing else.
"""

import os
import secrets
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, List, Optional

from harness.servers import PROJECT_ROOT, free_port, stop

INSTALLER = PROJECT_ROOT / "scripts" / "ensure-debian-packages.sh"
START_TIMEOUT_SECONDS = 60
COMMAND_TIMEOUT_SECONDS = 120
INSTALL_TIMEOUT_SECONDS = 600
POSTGRES_PACKAGE = "postgresql"
REDIS_PACKAGE = "redis-server"
POSTGRES_USER = "meldcode"
POSTGRES_DATABASE = "meldcode"
# PostgreSQL refuses to run as root; Debian's package creates this user.
POSTGRES_SYSTEM_USER = "postgres"


def ensure_debian_packages(*packages: str) -> None:
    result = subprocess.run([str(INSTALLER), *packages], timeout=INSTALL_TIMEOUT_SECONDS)
    if result.returncode != 0:
        raise RuntimeError(
            f"installeren van {' '.join(packages)} mislukte (code {result.returncode})"
        )


def postgres_bin_dir() -> Optional[Path]:
    """The folder with initdb and pg_ctl: on PATH, or Debian's newest version."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    return versions[-1].parent if versions else None


def _run(command: List[str], description: str) -> None:
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_SECONDS
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{description} mislukte (code {result.returncode}):\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        )


def _service_dir(prefix: str, owner: Optional[str]) -> Path:
    """A private folder in the system temp dir (pytest's tmp_path is closed to
    other users, and a Unix socket path must stay short)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    if owner:
        shutil.chown(path, user=owner, group=owner)
    return path


def _keep_log(log: Path, base_dir: Path) -> None:
    if log.exists():
        base_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(log, base_dir / log.name)


@contextmanager
def postgres_server(base_dir: Path) -> Iterator[Dict[str, str]]:
    """A fresh PostgreSQL cluster on 127.0.0.1 with a password-protected user.

    Yields the TRACKER_DB_* variables. The database itself is not created:
    Rasa creates it through TRACKER_DB_LOGIN_DB, as on a first deployment.
    The server log is copied to base_dir/postgres.log when it stops.
    """
    if postgres_bin_dir() is None:
        ensure_debian_packages(POSTGRES_PACKAGE)
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL (initdb, pg_ctl) niet gevonden, ook niet na installeren")
    as_root = os.geteuid() == 0
    owner = POSTGRES_SYSTEM_USER if as_root else None
    run_as = ["runuser", "-u", POSTGRES_SYSTEM_USER, "--"] if as_root else []
    home = _service_dir("meldcode-pg-", owner)
    data, log = home / "data", home / "postgres.log"
    port, password = free_port(), secrets.token_hex(16)
    password_file = home / "password"
    password_file.write_text(password + "\n")
    if owner:
        shutil.chown(password_file, user=owner, group=owner)
    pg_ctl = [*run_as, str(bin_dir / "pg_ctl"), "-D", str(data)]
    started = False
    try:
        _run(
            [
                *run_as,
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                POSTGRES_USER,
                f"--pwfile={password_file}",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--no-sync",
            ],
            "initdb",
        )
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {home} -c fsync=off"
        _run(
            [
                *pg_ctl,
                "-l",
                str(log),
                "-o",
                options,
                "-w",
                "-t",
                str(START_TIMEOUT_SECONDS),
                "start",
            ],
            "PostgreSQL starten",
        )
        started = True
        yield {
            "TRACKER_DB_DIALECT": "postgresql",
            "TRACKER_DB": POSTGRES_DATABASE,
            "TRACKER_DB_HOST": "127.0.0.1",
            "TRACKER_DB_PORT": str(port),
            "TRACKER_DB_USER": POSTGRES_USER,
            "TRACKER_DB_PASSWORD": password,
            "TRACKER_DB_LOGIN_DB": "postgres",
        }
    finally:
        if started:
            subprocess.run(
                [*pg_ctl, "-m", "fast", "-w", "stop"],
                capture_output=True,
                timeout=COMMAND_TIMEOUT_SECONDS,
            )
        _keep_log(log, base_dir)
        shutil.rmtree(home, ignore_errors=True)


def _wait_for_redis(port: int, password: str, process: subprocess.Popen, log: Path) -> None:
    import redis

    client = redis.Redis(host="127.0.0.1", port=port, password=password, socket_timeout=2)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(
                    f"redis-server stopte (code {process.returncode}):\n{log.read_text()[-2000:]}"
                )
            try:
                if client.ping():
                    return
            except redis.exceptions.ConnectionError:
                time.sleep(0.2)
        raise TimeoutError(f"redis-server kwam niet op binnen {START_TIMEOUT_SECONDS}s")
    finally:
        client.close()


@contextmanager
def redis_server(base_dir: Path) -> Iterator[Dict[str, str]]:
    """A password-protected Redis on 127.0.0.1 that keeps nothing on disk.

    Yields the LOCK_STORE_TYPE and REDIS_* variables. The server log is
    copied to base_dir/redis.log when it stops.
    """
    if shutil.which("redis-server") is None:
        ensure_debian_packages(REDIS_PACKAGE)
    executable = shutil.which("redis-server")
    if executable is None:
        raise RuntimeError("redis-server niet gevonden, ook niet na installeren")
    home = _service_dir("meldcode-redis-", None)
    log = home / "redis.log"
    port, password = free_port(), secrets.token_hex(16)
    # The password goes in through stdin, not the command line (visible in ps).
    config = (
        f"port {port}\nbind 127.0.0.1\nprotected-mode yes\ndir {home}\n"
        f'logfile {log}\nsave ""\nappendonly no\nrequirepass {password}\n'
    )
    process = subprocess.Popen(
        [executable, "-"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    try:
        process.stdin.write(config)
        process.stdin.close()
        _wait_for_redis(port, password, process, log)
        yield {
            "LOCK_STORE_TYPE": "redis",
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": str(port),
            "REDIS_PASSWORD": password,
            "REDIS_DB": "1",
        }
    finally:
        stop(process)
        _keep_log(log, base_dir)
        shutil.rmtree(home, ignore_errors=True)
