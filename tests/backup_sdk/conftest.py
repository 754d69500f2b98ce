from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.echo import EchoSimulator


@pytest.fixture
def echo() -> Iterator[EchoSimulator]:
    with EchoSimulator() as sim:
        yield sim
