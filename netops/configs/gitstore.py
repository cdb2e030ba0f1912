"""Config backups in a git repository (dulwich: pure Python, no git binary), one file per device.

One commit per run, only when something changed, its message naming the devices that changed; history
and diffs per device come straight from git, so any git tool can read the repository too. A write that
fails leaves the repository as it was: files are staged from memory and the commit is the last step.
"""
from __future__ import annotations

import difflib
import time
from dataclasses import dataclass
from pathlib import Path

from netops.errors import NetopsError, NotFoundError

AUTHOR = b"netops <netops@localhost>"


@dataclass(frozen=True)
class Revision:
    commit: str
    at: str
    message: str


def _safe_name(host: str) -> str:
    if not host or "/" in host or host.startswith(".") or "\\" in host or "\0" in host:
        raise NetopsError(f"device name {host!r} cannot be a file name in the backup repository")
    return f"{host}.cfg"


def _open(root: Path):  # type: ignore[no-untyped-def]  # dulwich types objects as ShaFile (no .tree/.data) and refs as Ref: kept untyped here
    from dulwich.repo import Repo
    try:
        if (root / ".git").is_dir():
            return Repo(str(root))
        root.mkdir(parents=True, exist_ok=True)
        return Repo.init(str(root))
    except OSError as exc:
        raise NetopsError(f"config backup repository {root}: {exc.strerror or exc}") from exc


def commit_configs(root: Path, configs: dict[str, str], message: str) -> tuple[str | None, list[str]]:
    """Write every device's config; commit if any changed. Returns (commit id or None, changed devices)."""
    from dulwich.objects import Blob, Commit, Tree
    repo = _open(root)
    try:
        head = repo.head() if repo.refs.keys() and b"HEAD" in repo.refs else None
    except KeyError:
        head = None
    tree = repo[repo[head].tree] if head else Tree()
    entries = {name: (mode, sha) for name, mode, sha in tree.iteritems()}
    changed = []
    new_objects = []
    for host, text in sorted(configs.items()):
        name = _safe_name(host).encode()
        blob = Blob.from_string(text.encode())
        if entries.get(name, (None, None))[1] != blob.id:
            changed.append(host)
            entries[name] = (0o100644, blob.id)
            new_objects.append(blob)
    if not changed:
        return None, []
    new_tree = Tree()
    for name, (mode, sha) in entries.items():
        new_tree.add(name, mode, sha)
    commit = Commit()
    commit.tree = new_tree.id
    commit.parents = [head] if head else []
    commit.author = commit.committer = AUTHOR
    commit.author_time = commit.commit_time = int(time.time())
    commit.author_timezone = commit.commit_timezone = 0
    commit.encoding = b"UTF-8"
    commit.message = (message + "\n\nchanged: " + ", ".join(changed) + "\n").encode()
    try:
        for obj in (*new_objects, new_tree, commit):
            repo.object_store.add_object(obj)
        repo.refs[b"refs/heads/main"] = commit.id
        if not head:
            repo.refs.set_symbolic_ref(b"HEAD", b"refs/heads/main")
    except OSError as exc:
        raise NetopsError(f"config backup repository {root}: {exc.strerror or exc}; history unchanged") from exc
    _checkout(root, configs, changed)
    return commit.id.decode(), changed


def _checkout(root: Path, configs: dict[str, str], changed: list[str]) -> None:
    """Keep the work tree readable for people (the commit is the record; this is a convenience)."""
    for host in changed:
        path = root / _safe_name(host)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(configs[host], encoding="utf-8")
        tmp.chmod(0o640)
        tmp.replace(path)


def _file_at(repo, commit_id: bytes, host: str) -> str | None:  # type: ignore[no-untyped-def]  # dulwich types objects as ShaFile (no .tree/.data) and refs as Ref: kept untyped here
    tree = repo[repo[commit_id].tree]
    name = _safe_name(host).encode()
    for entry_name, _, sha in tree.iteritems():
        if entry_name == name:
            text: str = repo[sha].data.decode()
            return text
    return None


def history(root: Path, host: str) -> list[Revision]:
    """The commits that changed this device's config, newest first."""
    if not (root / ".git").is_dir():
        return []
    repo = _open(root)
    if b"refs/heads/main" not in repo.refs:
        return []
    out = []
    for entry in repo.get_walker(include=[repo.refs[b"refs/heads/main"]]):
        commit = entry.commit
        now = _file_at(repo, commit.id, host)
        before = _file_at(repo, commit.parents[0], host) if commit.parents else None
        if now != before:
            out.append(Revision(commit.id.decode(), time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(commit.commit_time)),
                                commit.message.decode().splitlines()[0]))
    return out


def diff(root: Path, host: str, rev_a: str | None = None, rev_b: str | None = None) -> str:
    """Unified diff of a device's config between two revisions (default: the last two that changed it)."""
    revisions = history(root, host)
    if not revisions:
        raise NotFoundError(f"no backup of {host} in {root}")
    repo = _open(root)

    def resolve(rev: str | None, default: str | None) -> str | None:
        if rev is None:
            return default
        match = [r.commit for r in revisions if r.commit.startswith(rev)] or \
                ([rev] if len(rev) == 40 and rev.encode() in repo.object_store else [])
        if not match:
            raise NotFoundError(f"no revision {rev!r} of {host}")
        return match[0]
    b = resolve(rev_b, revisions[0].commit)
    a = resolve(rev_a, revisions[1].commit if len(revisions) > 1 else None)
    old = _file_at(repo, a.encode(), host) or "" if a else ""
    new = _file_at(repo, b.encode(), host) or "" if b else ""
    return "".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                        f"{host}@{(a or 'empty')[:8]}", f"{host}@{(b or '')[:8]}"))


def head(root: Path) -> tuple[Revision | None, list[str]]:
    """The newest backup commit and the devices whose configs it holds; (None, []) with no repository."""
    if not (root / ".git").is_dir():
        return None, []
    repo = _open(root)
    if b"refs/heads/main" not in repo.refs:
        return None, []
    commit = repo[repo.refs[b"refs/heads/main"]]
    devices = sorted(name.decode().removesuffix(".cfg") for name, _, _ in repo[commit.tree].iteritems())
    at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(commit.commit_time))
    return Revision(commit.id.decode(), at, commit.message.decode().splitlines()[0]), devices
