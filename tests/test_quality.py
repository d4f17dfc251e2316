"""Quality floors on the project's own annotated articles: a change that breaks extraction
broadly shows up here. The floors sit a little below the measured scores (README,
"Measured"); the blind sets (tests/data/newsset5, newsset6) are measured, never tested,
so that nothing is ever fitted to them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.pipeline import evaluate_folder

DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).parent.parent / "seeds"


def overall(gold: Path, corpus: Path | None = None) -> dict:
    return json.loads(evaluate_folder(gold, corpus, "json"))["overall"]


@pytest.mark.parametrize(("name", "f1", "precision"), [
    ("newsset", 0.87, 0.92),
    ("newsset2", 0.88, 0.92),
    ("newsset3", 0.72, 0.85),
    ("newsset4", 0.82, 0.89),
    ("newsset7", 0.73, 0.92),
    ("newsset8", 0.74, 0.87),
])
def test_development_sets_keep_their_scores(name: str, f1: float, precision: float):
    score = overall(DATA / name / "gold", DATA / name / "corpus")
    assert score["f1"] >= f1 and score["precision"] >= precision, score


def test_own_sample_articles():
    score = overall(SEEDS)
    assert score["f1"] >= 0.9 and score["precision"] >= 0.95, score
