"""Validate an issue once all its files are read: what no single file can show on its own.

Drafts come out first (unless the build shows them), then the jumps between pages (jumps.py),
the page scans' areas (scans.py) and the old addresses of moved articles (moves.py) are checked.
Every fault is collected; an issue is the unit, for jumps, areas and moves never leave it.
"""

from __future__ import annotations

from ..faults import Faults
from ..model import Issue
from . import jumps, moves, scans


def check_issue(issue: Issue, drafts: bool, faults: Faults) -> None:
    jumps.check_issue(issue, drafts, faults)
    scans.check_areas(issue, faults)
    moves.check_moves(issue, faults)
