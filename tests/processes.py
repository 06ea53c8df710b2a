"""Racing separate OS processes against one shared rate limit (see tests/throttle_child.py)."""

import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

from forum.env import parse_rate
from tests.settings_env import child_env


def wait_for_a_fresh_window(*, period: int, margin: float = 10) -> None:
    """Sleep into the next window if fewer than `margin` seconds are left of this one,
    so hits meant for one fixed window cannot straddle two."""
    left = period - time.time() % period
    if left < margin:
        time.sleep(left + 0.05)


def hits_from_processes(
    tmp_path: Path, *, env: dict[str, str], processes: int, hits: int, rate: str
) -> list[int]:
    """Start `processes` children with exactly `env`, release them together, and
    return how many of its `hits` each one was allowed."""
    go_file = tmp_path / "go"
    wait_for_a_fresh_window(period=parse_rate(rate).period)
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.throttle_child", str(go_file), str(hits), rate],
            env=child_env(**env),
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    # Every child has set Django up and waits for the go file: release them together.
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("go.ready.*"))) < processes:
        assert time.monotonic() < deadline, "the children did not start"
        assert all(child.poll() is None for child in children), "a child died starting"
        time.sleep(0.01)
    go_file.touch()
    counts = []
    for child in children:
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        counts.append(int(out))
    return counts
