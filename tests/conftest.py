"""Fixtures shared by the test modules."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import SEEDS, run


@pytest.fixture(scope="session")
def seeds_store(tmp_path_factory) -> Path:
    """A store built from seeds/ once per test run; tests only read it."""
    path = tmp_path_factory.mktemp("seeds") / "store"
    result = run("build", SEEDS, "--store", path, "-q")
    assert result.exit_code == 0, result.output
    return path
