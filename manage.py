#!/usr/bin/env python
"""Django's manage.py for developers who expect one; ``ancrage`` does the same."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ancrage.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
