"""Settings for `make audit`: production's forum.settings unchanged, except that
static files are collected into the audit's throwaway folder (FORUM_AUDIT_STATIC_ROOT)
rather than the repository's staticfiles/, which a deployment may be using."""

import os
from pathlib import Path

from forum.settings import *  # noqa: F403 (every production setting, as is)

STATIC_ROOT = Path(os.environ["FORUM_AUDIT_STATIC_ROOT"])
