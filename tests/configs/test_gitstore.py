"""Config backups in git with dulwich: a commit only when something changed, history and diff per device,
a repository that cannot be written leaves its history intact."""
from __future__ import annotations

from pathlib import Path

import pytest

from netops.configs.gitstore import commit_configs, diff, history
from netops.errors import NetopsError, NotFoundError


def test_commit_only_on_change_and_history_per_device(tmp_path: Path):
    repo = tmp_path / "configs"
    first, changed = commit_configs(repo, {"r1": "hostname r1\n", "r2": "hostname r2\n"}, "run 1")
    assert first and changed == ["r1", "r2"]
    assert commit_configs(repo, {"r1": "hostname r1\n", "r2": "hostname r2\n"}, "run 2") == (None, [])
    second, changed = commit_configs(repo, {"r1": "hostname r1\nntp server 198.18.200.1\n", "r2": "hostname r2\n"},
                                     "run 3")
    assert second and changed == ["r1"]
    assert [r.commit for r in history(repo, "r1")] == [second, first]
    assert [r.commit for r in history(repo, "r2")] == [first]
    text = diff(repo, "r1")
    assert "+ntp server 198.18.200.1" in text and "-hostname" not in text
    assert diff(repo, "r1", first[:8], second[:8]) == text
    assert (repo / "r1.cfg").read_text().endswith("198.18.200.1\n")
    with pytest.raises(NotFoundError):
        diff(repo, "r9")
    with pytest.raises(NotFoundError):
        diff(repo, "r1", "deadbeef")


def test_the_repository_is_readable_by_plain_git(tmp_path: Path):
    import shutil
    import subprocess
    if shutil.which("git") is None:
        pytest.skip("git binary not installed (dulwich needs none; this only cross-checks)")
    repo = tmp_path / "configs"
    commit_configs(repo, {"r1": "hostname r1\n"}, "run 1")
    log = subprocess.run(["git", "-C", str(repo), "log", "--format=%s%n%b"], capture_output=True, text=True, check=True)
    assert "run 1" in log.stdout and "changed: r1" in log.stdout
    assert subprocess.run(["git", "-C", str(repo), "fsck"], capture_output=True, check=False).returncode == 0


def test_unwritable_repository_is_a_clear_error_and_changes_nothing(tmp_path: Path):
    """A file where the repository's folder must be (tests run as root, so permissions would not stop it)."""
    blocker = tmp_path / "configs"
    blocker.write_text("not a folder")
    with pytest.raises(NetopsError, match="config backup repository"):
        commit_configs(blocker, {"r1": "hostname r1\n"}, "run 1")
    assert blocker.read_text() == "not a folder"


@pytest.mark.parametrize("host", ["../escape", ".git", "a/b", ""])
def test_device_names_that_are_not_file_names_are_refused(tmp_path: Path, host: str):
    with pytest.raises(NetopsError, match="cannot be a file name"):
        commit_configs(tmp_path / "configs", {host: "x\n"}, "run")
