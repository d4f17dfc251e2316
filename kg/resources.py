"""Access to the data files shipped inside the package (works from a wheel too)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

_DATA = "kg.data"


def data_file(relative: str):
    """A Traversable for ``kg/data/<relative>``."""
    return resources.files(_DATA).joinpath(relative)


@lru_cache(maxsize=None)
def load_yaml(relative: str) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(data_file(relative).read_text(encoding="utf-8"), Loader=loader)


def load_lines(relative: str) -> list[str]:
    """Non-empty, non-comment lines of a text data file."""
    lines = data_file(relative).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=None)
def languages() -> tuple[str, ...]:
    """Languages that have a data folder under kg/data/lang/."""
    return tuple(sorted(p.name for p in data_file("lang").iterdir() if p.is_dir() and not p.name.startswith("_")))
