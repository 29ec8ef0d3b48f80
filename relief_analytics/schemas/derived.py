"""Columns the importers derive and the indicators read: their rules, defined once.

Both sides of the data contract need them: an importer fills ``is_long_running`` while it reads
an agenda and lists the orders not validated while it reads a HelloAsso export
(:mod:`relief_analytics.importers`, which imports only ``load``, ``schemas`` and ``geo``); the
indicators count the same columns (:mod:`relief_analytics.indicators.events`,
:mod:`relief_analytics.indicators.membership`).
"""

from __future__ import annotations

#: Columns of :func:`~relief_analytics.indicators.membership.unvalidated_orders` and of an
#: import's list of orders not validated (no member identity: the pseudonym is left out too).
UNVALIDATED_COLUMNS = ["membership_id", "order_date", "order_status", "amount_eur"]


#: An event spanning more than this many days (first start to last end) may be long-running…
LONG_SPAN_DAYS = 7
#: … when it has more sessions (timings) than this: daily or weekly opening, not meetings…
MAX_MEETING_SESSIONS = 12
#: … or when one of its sessions lasts longer than this (an opening block of several days).
MAX_SESSION_HOURS = 24


def is_long_running(*, span_days: float, sessions: int, longest_session_hours: float) -> bool:
    """Whether an event is an exhibition or a permanent activity rather than a meeting.

    The rule: it spans more than :data:`LONG_SPAN_DAYS` days and either has more than
    :data:`MAX_MEETING_SESSIONS` sessions or has a session longer than :data:`MAX_SESSION_HOURS`
    hours. A training cycle of 8 weekly sessions stays a meeting; a 3-month exhibition open daily,
    or one timing from 1 March to 31 May, does not.

    >>> is_long_running(span_days=91, sessions=92, longest_session_hours=8)
    True
    >>> is_long_running(span_days=49, sessions=8, longest_session_hours=3)
    False
    >>> is_long_running(span_days=2, sessions=1, longest_session_hours=32)
    False
    """
    return span_days > LONG_SPAN_DAYS and (
        sessions > MAX_MEETING_SESSIONS or longest_session_hours > MAX_SESSION_HOURS)
