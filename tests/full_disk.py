"""A real full disk for a test: a small tmpfs mounted on a folder, filled to the last block.

Mounting needs root (CAP_SYS_ADMIN), which the tests and CI (.ci/run) have on this kind of
machine; elsewhere the cases are skipped with the reason. The filesystem is real: DuckDB, SQLite
and Python get ENOSPC from the kernel exactly as on a disk that filled up.
"""

import contextlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

FILLER = "filler"


def _mount(folder: Path, size: str) -> str | None:
    """Mount a tmpfs of `size` on folder; None, or why it cannot be done here."""
    if shutil.which("mount") is None:
        return "no mount command"
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder)],
                            capture_output=True, text=True)
    return None if result.returncode == 0 else f"cannot mount a tmpfs ({result.stderr.strip()}): needs root"


def fill(folder: Path, leave: int = 0) -> Path:
    """Write zeros into folder/filler until the filesystem has no block left (or only about
    `leave` bytes); the filler's path (remove it to free the space)."""
    filler = folder / FILLER
    block = b"\0" * 4096
    if leave:
        stats = os.statvfs(folder)
        filler.write_bytes(b"\0" * max(0, stats.f_bavail * stats.f_frsize - leave))
        return filler
    with open(filler, "ab", buffering=0) as out, contextlib.suppress(OSError):
        while True:
            out.write(block)
    # Whatever is left is smaller than a block: take it byte by byte.
    with open(filler, "ab", buffering=0) as out, contextlib.suppress(OSError):
        while True:
            out.write(b"\0")
    return filler


@contextlib.contextmanager
def small_disk(folder: Path, size: str):
    """`folder` (created) as the mount point of a tmpfs of `size` for the block; unmounted after.
    Copy what the test needs in, then fill() it."""
    folder.mkdir(parents=True, exist_ok=True)
    reason = _mount(folder, size)
    if reason:
        pytest.skip(f"a real full disk: {reason}")
    try:
        yield folder
    finally:
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)  # still in use: detach
