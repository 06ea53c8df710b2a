#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import sys

from django.core.management import execute_from_command_line

from forum.startup import load_settings_or_exit


def main() -> None:
    # Django's own runner would swallow a settings error and fail later with a
    # traceback; loading them first turns it into one line and exit status 1.
    load_settings_or_exit()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
