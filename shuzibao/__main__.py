"""`python -m shuzibao build | check | serve`, in the working folder (content/ -> dist/)."""

import sys

from .cli import main

sys.exit(main())
