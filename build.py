#!/usr/bin/env python3
"""Build the digital edition: `python build.py build | check | serve | ...`. See README.md."""

import sys
from pathlib import Path

from shuzibao import command

if __name__ == "__main__":
    sys.exit(command(root=Path(__file__).resolve().parent))
