from __future__ import annotations

import io
import socket
import subprocess
import sys

import pytest

from backup_sdk.cli import main
from backup_sdk.demo import run_demo


def test_shared_demo_shows_retries_and_redaction() -> None:
    out = io.StringIO()
    run_demo(out)
    text = out.getvalue()
    assert "attempt 4: HTTP 200" in text
    assert "STALE laptop-ceo" in text
    assert "not retried" in text
    assert "demo-password-123" not in text


def test_version_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["version"]) == 0
    assert capsys.readouterr().out.startswith("backup-sdk ")


def test_unknown_vendor_is_refused() -> None:
    with pytest.raises(SystemExit):
        main(["demo", "nosuchvendor"])


def test_network_outside_loopback_is_blocked() -> None:
    with pytest.raises(ConnectionRefusedError, match="blocked"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)


def test_python_m_backup_sdk_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "backup_sdk", "version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "backup-sdk" in result.stdout
