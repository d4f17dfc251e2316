"""Extraction + graph-building throughput on the shipped seed articles.

Usage: python benchmarks/bench_extract.py [--repeat N] [PATH...]

Repeats every article N times (default 200), runs ingest-free extraction and quad
building on each copy, and prints MB/s. If spaCy is installed it also times a plain
``spacy.blank("xx")`` tokenizer pass over the same text for comparison.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from kg.extract import extract_document
from kg.graph import document_quads
from kg.ingest import read_documents
from kg.kb import default_kb


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="*", default=[str(Path(__file__).resolve().parent.parent / "seeds")])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    docs = [d for d in read_documents(args.paths) if hasattr(d, "text")]
    default_kb()  # load data once, outside the timing, as a long build would
    for doc in docs:
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
          f"({len(docs)} docs x {args.repeat}, {facts} facts)")
    try:
        import spacy
    except ImportError:
        print("spaCy not installed: no tokenizer baseline")
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
