"""Every problem a person can cause, defined once: code, field, Vietnamese message, severity.

A ``ProblemType`` holds a code never reused for another problem, the field in poll-file
form (``entries[3]``; ``{…}`` filled when raised), a sentence saying what is wrong and how
to fix it, and whether it refuses or warns. Calling it gives a ``Problem``, ``.error()`` a
``PollError``. Codes: F the file as JSON, C counts, S setting, E entries, T totals, B base,
Q quorum, X the store's extension, U the setup form, L/W officials lists (error/warning),
K stacks (independent entries), R rule sets, M the counting board, G combining files,
P scanned pages.

The definitions live in ``poll_file`` (F C S E T B Q X U), ``stacks`` (K), ``combine``
(G), ``lists`` (L W), ``rule_sets`` (R, Q02, M) and ``scan`` (P); this module re-exports
them all, so callers write ``from tinnhiem import problems as P`` and ``P.MISSING``.
"""

from tinnhiem.problems.combine import *  # noqa: F403
from tinnhiem.problems.core import (
    REGISTRY,
    PollError,
    Problem,
    ProblemType,
    Severity,
    _define,
    show,
)
from tinnhiem.problems.lists import *  # noqa: F403
from tinnhiem.problems.poll_file import *  # noqa: F403
from tinnhiem.problems.rule_sets import *  # noqa: F403
from tinnhiem.problems.scan import *  # noqa: F403
from tinnhiem.problems.stacks import *  # noqa: F403

__all__ = ["REGISTRY", "PollError", "Problem", "ProblemType", "Severity", "_define", "show"]
