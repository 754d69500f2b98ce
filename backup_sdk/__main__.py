"""``python -m backup_sdk``."""

import sys

from backup_sdk.cli import main

sys.exit(main())
