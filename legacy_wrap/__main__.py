"""``python -m legacy_wrap`` runs the ``legacy-wrap`` command."""

import sys

from .cli import main

sys.exit(main())
