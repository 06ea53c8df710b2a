"""A separate OS process that counts hits on one rate limit: `python -m tests.throttle_child
GO_FILE HITS RATE`. It sets Django up from the environment, says it is ready (a file
named GO_FILE.ready.<pid>), waits until GO_FILE exists (so several children start
hitting together), calls forum.throttle.hit HITS times on one shared key and prints
how many hits were allowed."""

import os
import sys
import time

import django

from forum.throttle import hit

SCOPE = "race"
KEY = "shared"


def main(*, go_file: str, hits: int, rate: str) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
    django.setup()
    open(f"{go_file}.ready.{os.getpid()}", "w").close()
    deadline = time.monotonic() + 30
    while not os.path.exists(go_file) and time.monotonic() < deadline:
        time.sleep(0.002)
    return sum(1 for _ in range(hits) if hit(SCOPE, KEY, rate) == 0)


if __name__ == "__main__":
    print(main(go_file=sys.argv[1], hits=int(sys.argv[2]), rate=sys.argv[3]))
