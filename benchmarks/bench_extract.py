"""Extraction + graph-building throughput.

Usage: python benchmarks/bench_extract.py [--repeat N] [PATH...]

Runs extraction and quad building N times (default 20) over the articles in PATH
(default: the shipped seeds/) and prints MB/s of article text per core (one process).
If spaCy is installed it also times a plain ``spacy.blank("xx")`` tokenizer pass over
the same text for comparison.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from kg.extract import extract_document
from kg.graph import document_quads
from kg.ingest import read_documents


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="*", default=[str(Path(__file__).resolve().parent.parent / "seeds")])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    docs = [d for d in read_documents(args.paths) if hasattr(d, "text")]
    for doc in docs:  # load the knowledge base and lexicons outside the timing
        extract_document(doc)
    size = sum(len(d.text.encode("utf-8")) for d in docs) * args.repeat
    start = time.perf_counter()
    facts = 0
    for _ in range(args.repeat):
        for doc in docs:
            found = extract_document(doc)
            document_quads(doc, found)
            facts += len(found)
    elapsed = time.perf_counter() - start
    print(f"extract+graph: {size / 1e6:.2f} MB in {elapsed:.2f} s = {size / 1e6 / elapsed:.2f} MB/s "
          f"({len(docs)} docs x {args.repeat}, {facts // args.repeat} facts per pass)")
    try:
        import spacy
    except ImportError:
        print("spaCy not installed: no tokenizer baseline (pip install spacy to compare)")
        return
    nlp = spacy.blank("xx")
    start = time.perf_counter()
    for _ in range(args.repeat):
        for doc in docs:
            nlp.tokenizer(doc.text)
    elapsed = time.perf_counter() - start
    print(f"spaCy blank('xx') tokenizer: {size / 1e6 / elapsed:.2f} MB/s")


if __name__ == "__main__":
    main()
