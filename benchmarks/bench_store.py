"""Store-level benchmark: a persisted store of about N triples in kg's own shape.

Usage: python benchmarks/bench_store.py [--triples 1000000] [--store DIR]

Builds (once) a store of synthetic documents whose facts go through kg.graph, exactly
as `kg build` writes them, then times from a fresh process, CLI start-up included:
`kg ask`, `kg sparql` (a 2-hop join) and `kg export` to Turtle and N-Triples.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from kg.graph import document_quads
from kg.model import Document, Entity, Evidence, Fact
from kg.store import writing

RELATIONS = ["ownsStake", "producedBy", "partnerOf", "subsidiaryOf", "marketedBy"]


def build(store: Path, triples: int) -> None:
    rng = random.Random(7)
    companies = [Entity(f"company-{i}", f"Company {i}", "Company") for i in range(20000)]
    models = [Entity(f"model-{i}", f"Model {i}", "CarModel") for i in range(20000)]
    written = 0
    with writing(store) as handle:
        number = 0
        while written < triples:
            text = f"Synthetic article {number}. " * 20
            doc = Document(f"doc-{number}.txt", text, "en", f"{number:064x}")
            facts = []
            for _ in range(10):
                relation = rng.choice(RELATIONS)
                subject = rng.choice(models if relation in ("producedBy", "marketedBy") else companies)
                evidence = Evidence(doc.source, doc.key, text[:40], 0, 40)
                facts.append(Fact(subject, relation, rng.choice(companies), evidence, "bench", "en", 0.9,
                                  percent=round(rng.uniform(1, 60), 1) if relation == "ownsStake" else None))
            quads = document_quads(doc, facts)
            handle.extend(quads)
            written += len(quads)
            number += 1
    print(f"built {written} quads in {number} documents")


def timed(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kg", *args], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--store", default="/tmp/kg-bench-store")
    args = parser.parse_args()
    store = Path(args.store)
    if not (store / "kg-store").exists():
        shutil.rmtree(store, ignore_errors=True)
        start = time.perf_counter()
        build(store, args.triples)
        print(f"build: {time.perf_counter() - start:.1f} s")
    join = ("PREFIX kgo: <https://w3id.org/autokg/ontology#> SELECT ?m ?p ?g WHERE "
            "{ ?m kgo:producedBy ?p . ?p kgo:subsidiaryOf ?g } LIMIT 100")
    print(f"kg ask 'who owns Company 123?': {timed('ask', 'who owns Company 123?', '--store', str(store)):.2f} s")
    print(f"kg sparql 2-hop join:          {timed('sparql', join, '--store', str(store)):.2f} s")
    for fmt in ("turtle", "nt"):
        out = store.parent / f"kg-bench-export.{fmt}"
        print(f"kg export {fmt:7}:             {timed('export', '--format', fmt, '-o', str(out), '--store', str(store)):.2f} s")


if __name__ == "__main__":
    main()
