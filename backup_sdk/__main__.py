"""``python -m backup_sdk``: the ``backup-sdk`` command line."""

import sys

from backup_sdk.cli import main

sys.exit(main())
