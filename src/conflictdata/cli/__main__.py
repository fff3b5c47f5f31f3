"""``python -m conflictdata.cli``."""

import sys

from conflictdata.cli import main

sys.exit(main())
