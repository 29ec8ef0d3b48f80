"""The one exception raised for input the user must fix, shared by every layer.

``load`` (reading files), ``indicators`` (a missing hourly rate, unbalanced 86/87 lines) and
``report`` raise it; the command line prints its French message and exits with code 2.
"""

from __future__ import annotations


class DataError(Exception):
    """Input that cannot be used as is: unreadable file, missing column, bad configuration.

    The message is French and says what to fix; the command line prints it and exits with code 2.
    Row-level problems never raise: they are collected as issues and the row is rejected.
    """
