"""Same input, same bytes: builds in interpreters with different hash seeds export
identical Turtle, N-Triples, JSON-LD, TriG and N-Quads, and a document saved again
with CRLF line ends or a BOM changes nothing in the store."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.pipeline import export

from helpers import run

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FORMATS = ("turtle", "nt", "jsonld", "trig", "nq")

RUNNER = r"""
import sys
from pathlib import Path
from kg.cli import main

corpus, out = sys.argv[1], Path(sys.argv[2])
main(["build", corpus, "--store", str(out / "store"), "-q"], standalone_mode=False)
for fmt in ("turtle", "nt", "jsonld", "trig", "nq"):
    main(["export", "--format", fmt, "-o", str(out / f"graph.{fmt}"), "--store", str(out / "store")],
         standalone_mode=False)
"""



def _corpus(folder: Path) -> Path:
    """The seeds plus a JSONL feed whose names and sets would shuffle with the hash seed."""
    shutil.copytree(SEEDS, folder, ignore=shutil.ignore_patterns("*.json"))
    records = [
        {"language": "en", "text": "Renault Group holds a 10% stake in Nissan, the company said. "
                                   "Zëta Motors and Nissan teamed up with Mitsubishi Motors in 2024."},
        {"language": "en", "title": "Stakes", "text": "Toyota Motor owns 20% of Subaru, while Subaru holds "
                                                     "a 5% stake in Zëta Motors, the company said."},
    ]
    (folder / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return folder


def _build_in_fresh_interpreter(corpus: Path, out: Path, hash_seed: str) -> dict[str, bytes]:
    env = dict(os.environ, PYTHONHASHSEED=hash_seed)
    proc = subprocess.run([sys.executable, "-c", RUNNER, str(corpus), str(out)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return {fmt: (out / f"graph.{fmt}").read_bytes() for fmt in FORMATS}


@pytest.mark.slow
def test_builds_under_different_hash_seeds_export_identical_bytes(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    first = _build_in_fresh_interpreter(corpus, tmp_path / "a", "0")
    second = _build_in_fresh_interpreter(corpus, tmp_path / "b", "4242")
    assert first["turtle"].count(b"kgo:ownsStake") > 3  # a real graph, not two empty files
    for fmt in FORMATS:
        assert first[fmt] == second[fmt], fmt
    # and the same bytes as this interpreter builds, with its own (random) seed
    run("build", corpus, "--store", tmp_path / "here", "-q")
    for fmt in FORMATS:
        assert export(tmp_path / "here", fmt) == first[fmt], fmt


ARTICLE = (
    "title: Renault dan Nissan\n"
    "language: id\n\n"
    "Renault Group memiliki 10 persen saham di Nissan, kata perusahaan itu.\n\n"
    "Renault Twingo diproduksi oleh Ampere di Slovenia mulai 2026.\n"
)


@pytest.mark.parametrize("variant", ["crlf", "bom", "bom-crlf", "cr"])
def test_reingesting_with_crlf_or_bom_adds_nothing(tmp_path, variant):
    article = tmp_path / "article.txt"
    article.write_bytes(ARTICLE.encode("utf-8"))
    store = tmp_path / "store"
    assert run("build", article, "--store", store, "-q").exit_code == 0
    before = export(store, "nq")
    assert b"ownsStake" in before

    data = ARTICLE.replace("\n", "\r\n" if "crlf" in variant else "\r" if variant == "cr" else "\n").encode("utf-8")
    if variant.startswith("bom"):
        data = b"\xef\xbb\xbf" + data
    article.write_bytes(data)  # the same article, saved again by another editor
    result = run("build", article, "--store", store, "-q")
    assert result.exit_code == 0, result.output
    assert export(store, "nq") == before

    # under another file name: still one document graph, only its file name changes
    copy = tmp_path / "copy.txt"
    copy.write_bytes(data)
    assert run("build", copy, "--store", store, "-q").exit_code == 0
    after = export(store, "nq")
    assert len(after.splitlines()) == len(before.splitlines())
    changed = set(after.splitlines()) ^ set(before.splitlines())
    assert {line.split(b" ", 2)[1] for line in changed} == {b"<https://w3id.org/autokg/ontology#fileName>"}


def test_extract_output_is_stable_across_runs(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    first = run("extract", corpus)
    second = run("extract", corpus)
    assert first.exit_code == 0 and first.stdout == second.stdout and first.stdout
