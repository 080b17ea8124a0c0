"""`python -m shuzibao build | check | serve | ...`, in the working folder (content/ -> dist/)."""

import sys

from . import command

sys.exit(command())
