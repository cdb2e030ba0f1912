"""A throwaway PostgreSQL cluster for tests and benchmarks: initdb + pg_ctl in a temporary folder.

The cluster listens on a Unix socket in its own folder only (no TCP port), requires a
password (SCRAM) so every test exercises the URL-with-password path, and is removed
with everything in it by `stop()`. initdb refuses to run as root: when the tests run as
root, the cluster runs as the `postgres` user (Debian's package creates it) or `nobody`,
which owns the folder. Durability settings are off (fsync, full-page writes): a test
cluster never survives a machine crash, and killing a client (kill -9) is unaffected.

Also what `netops store backup/restore` use to find pg_dump and pg_restore: Debian keeps
the server binaries in /usr/lib/postgresql/VERSION/bin, off the PATH.
"""
from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

from sqlalchemy import create_engine, text

from netops.errors import StoreError


class PgUnavailable(StoreError):
    """No PostgreSQL server binaries on this machine."""


def find_pg_binary(name: str) -> str | None:
    """`name` (initdb, pg_ctl, pg_dump, pg_restore) on the PATH, else from the newest Debian PostgreSQL."""
    versioned = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                       key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if versioned:  # the server's own version, never an older client wrapper
        return versioned[-1]
    return shutil.which(name)


def _run_as() -> tuple[int, int] | None:
    """(uid, gid) to run the server as when we are root; None when we are not."""
    if os.geteuid() != 0:
        return None
    for user in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(user)
        except KeyError:
            continue
        return entry.pw_uid, entry.pw_gid
    raise PgUnavailable("running as root and neither a 'postgres' nor a 'nobody' user exists to run initdb as")


@dataclass
class PgCluster:
    root: Path
    user: str
    password: str
    owner: tuple[int, int] | None
    pg_ctl: str
    _names: count[int] = field(default_factory=lambda: count(1))
    _free: list[str] = field(default_factory=list)

    # -- life cycle ---------------------------------------------------------------------------------
    @classmethod
    def start(cls, max_connections: int = 200) -> PgCluster:
        initdb, pg_ctl = find_pg_binary("initdb"), find_pg_binary("pg_ctl")
        if not initdb or not pg_ctl:
            raise PgUnavailable("PostgreSQL server binaries (initdb, pg_ctl) not found: "
                                "scripts/setup.sh installs Debian's postgresql package")
        owner = _run_as()
        root = Path(tempfile.mkdtemp(prefix="netops-pg-"))
        cluster = cls(root=root, user="netops", password=f"pw-{secrets.token_hex(12)}", owner=owner, pg_ctl=pg_ctl)
        try:
            if owner:
                os.chown(root, *owner)
            pwfile = root / "pwfile"
            pwfile.write_text(cluster.password + "\n")
            pwfile.chmod(0o600)
            if owner:
                os.chown(pwfile, *owner)
            cluster._as_owner([initdb, "-D", str(root / "data"), "-U", cluster.user, f"--pwfile={pwfile}",
                               "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
            pwfile.unlink()
            settings = {"listen_addresses": "''", "unix_socket_directories": f"'{root}'", "fsync": "off",
                        "full_page_writes": "off", "synchronous_commit": "off",
                        "max_connections": str(max_connections), "shared_buffers": "64MB"}
            with (root / "data" / "postgresql.conf").open("a") as conf:
                conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
            cluster._as_owner([pg_ctl, "-D", str(root / "data"), "-l", str(root / "server.log"), "-w", "-t", "60",
                               "start"])
        except BaseException:
            cluster.stop()
            raise
        return cluster

    def _as_owner(self, args: list[str]) -> None:
        user, group = self.owner if self.owner else (None, None)
        done = subprocess.run(args, capture_output=True, text=True, cwd=self.root, check=False,
                              user=user, group=group, extra_groups=[] if self.owner else None)
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{Path(args[0]).name} failed ({done.returncode}): {done.stderr.strip()} {tail}")

    def stop(self) -> None:
        """Stop the server at once (no checkpoint: it is thrown away) and remove its folder."""
        data = self.root / "data"
        if (data / "postmaster.pid").exists():
            try:
                self._as_owner([self.pg_ctl, "-D", str(data), "-m", "immediate", "-w", "-t", "30", "stop"])
            except RuntimeError:
                pid = int((data / "postmaster.pid").read_text().split()[0])
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.root, ignore_errors=True)

    # -- databases ------------------------------------------------------------------------------------
    def url(self, database: str = "postgres", password: str | None = None) -> str:
        return f"postgresql+psycopg://{self.user}:{password or self.password}@/{database}?host={self.root}"

    def _execute(self, database: str, *statements: str) -> None:
        engine = create_engine(self.url(database), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                for sql in statements:
                    conn.execute(text(sql))
        finally:
            engine.dispose()

    def create_database(self) -> str:
        """An empty database: a reset one from `release_database`, else a new one (0.3 s); its name."""
        if self._free:
            return self._free.pop()
        name = f"netops_{os.getpid()}_{next(self._names)}"
        self._execute("postgres", f'CREATE DATABASE "{name}"')
        return name

    def release_database(self, name: str) -> None:
        """Empty it for the next test (20 ms) even while a forgotten pool or a killed client holds it."""
        self._execute(name, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = current_database() AND pid <> pg_backend_pid()",
                      "DROP SCHEMA public CASCADE", "CREATE SCHEMA public")
        self._free.append(name)
