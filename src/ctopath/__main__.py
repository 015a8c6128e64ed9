"""``python -m ctopath``: the workshop's tools behind one command (see ctopath.cli)."""
import sys

from .cli import main

sys.exit(main())
