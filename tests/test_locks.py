"""The preview's folder lock on every system: POSIX flock, and the lock file with its owner's
process id that systems without fcntl (Windows) use, run here by switching the branch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from shuzibao.preview import locks
from shuzibao.preview.rebuild import preview_folder, remove_preview

HOLD_IN_ANOTHER_PROCESS = """
import sys, time
from pathlib import Path
from shuzibao.preview import locks
locks.POSIX = sys.argv[2] == "posix"
held = locks.acquire(Path(sys.argv[1]))
print("held" if held else "refused", flush=True)
time.sleep(30)
"""


@pytest.mark.parametrize("posix", [True, False], ids=["flock", "lock file (no fcntl, as on Windows)"])
def test_one_preview_at_a_time_holds_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, posix: bool) -> None:
    if posix and not locks.POSIX:
        pytest.skip("no POSIX locks on this system")
    monkeypatch.setattr(locks, "POSIX", posix)
    content = tmp_path / "content"
    content.mkdir()
    with preview_folder(content, tmp_path / "cache") as first:
        assert first.parent == tmp_path / "cache"
        with preview_folder(content, tmp_path / "cache") as second:
            assert second != first and not second.is_relative_to(tmp_path / "cache")  # a temporary folder of its own
        assert not remove_preview(first)  # in use: kept
        other = subprocess.Popen([sys.executable, "-c", HOLD_IN_ANOTHER_PROCESS, str(first / "lock"), "posix" if posix else "file"], stdout=subprocess.PIPE, text=True)
        try:
            assert other.stdout is not None and other.stdout.readline().strip() == "refused"
        finally:
            other.kill()
            other.wait()
    assert remove_preview(first) and not first.exists()  # free again: removed


def test_a_lock_file_left_by_a_process_that_ended_is_taken_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locks, "POSIX", False)
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    (tmp_path / "lock.pid").write_text(ended, encoding="ascii")
    held = locks.acquire(tmp_path / "lock")
    assert held is not None and locks.acquire(tmp_path / "lock") is None
    held.release()
    assert not (tmp_path / "lock.pid").exists()
