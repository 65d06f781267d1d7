"""``python -m analystkit``: the same as the ``analystkit`` command."""

import sys

from .cli import main

sys.exit(main())
