"""Which modules a piece of code imports, run in a fresh interpreter (import-time tests
check what makes an import cheap by what it loads, not by timing it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

__all__ = ["modules_loaded_by"]

ROOT = Path(__file__).resolve().parents[2]
_PROBE = """
import json, sys
before = set(sys.modules)
{code}
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def modules_loaded_by(code: str) -> list[str]:
    """The modules ``code`` imports (sorted), this checkout first on the path."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(code=code)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded
