"""The documented limits of tinnhiem (README, command line): beyond them input is refused.

They are far above any real poll (the National Assembly is 500 deputies; a ballot lists
a few dozen officials) and keep every step quick and every document drawable: a file at
the limits is read, checked and imported in a few seconds. Checked before any slow work.
"""

from __future__ import annotations

MAX_COUNT = 1_000_000_000  # any count: members, present, ballots issued, collected, invalid
MAX_BALLOTS = 10_000  # ballots entered one by one in one poll (larger polls enter totals)
MAX_STACK = 1_000  # ballots in one pass of a stack (a bundle under one cover slip; usually 50)
MAX_OFFICIALS = 200  # people on one list (ballot and exempt)
MAX_NAME = 120  # characters in a name (official, board member, who enters, which machine)
MAX_POSITION = 300  # characters in a position
MAX_REASON = 300  # characters in a reason: exemption, void, correction, close, reopen
MAX_TITLE = 300  # characters in the title, body, place, time of the poll
MAX_RULE_TEXT = 1_000  # characters in a custom rule set's citation or one consequence
MAX_REMARKS = 5_000  # characters in the minutes' remarks
MAX_FILE_MB = 64  # a poll file; an export of 10 000 ballots × 200 officials is ~14 MB
MAX_JSON_DEPTH = 64  # nesting of {…} and […]; a tinnhiem/1 file has fewer than 10
MAX_DIGITS = 18  # digits of an integer in a poll file (SQLite holds 19)
MAX_LIST_MB = 2  # an officials list (CSV, XLSX, ODS, HTML)
