"""``python -m argkit``: the command line."""

import sys

from argkit.cli import main

sys.exit(main())
