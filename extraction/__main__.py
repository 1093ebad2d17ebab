"""``python -m extraction``: see extraction.cli."""

import sys

from extraction.cli import main

sys.exit(main())
