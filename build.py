#!/usr/bin/env python3
"""Build the digital edition: `python build.py build | check | serve`. See README.md."""

import sys
from pathlib import Path

from shuzibao.cli import main

if __name__ == "__main__":
    sys.exit(main(root=Path(__file__).resolve().parent))
