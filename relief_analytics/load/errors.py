"""The one exception the loaders raise for input the user must fix."""

from __future__ import annotations


class DataError(Exception):
    """Input that cannot be used as is: unreadable file, missing column, bad configuration.

    The message is French and says what to fix; the command line prints it and exits with code 2.
    Row-level problems never raise: they are collected as issues and the row is rejected.
    """
