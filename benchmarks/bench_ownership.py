"""Benchmark: integrated ownership of one holder in a 100,000-company graph.

Not a test. Run from the repository root:

    python benchmarks/bench_ownership.py [--companies 100000] [--holders 3] [--seed 1]

The synthetic graph is seeded and sparse: each company has 1 + Poisson(holders - 1)
shareholders drawn uniformly from all companies (so it has one giant ownership cycle,
the hard case for a linear solver), and its stakes add up to 10-90 %, so every column
of W sums to less than 1. The timed call is ``integrated_ownership_of(G, holder)`` on
the networkx graph, end to end: reading the weights out of networkx, the reachability
and singularity checks, and the solve.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import scipy.sparse.csgraph  # noqa: E402,F401  (imports are not what we time)
import scipy.sparse.linalg  # noqa: E402,F401

from kg.analytics import _integrated_row, _ownership_matrix, integrated_ownership_of  # noqa: E402


def random_ownership_graph(companies: int, holders: float, seed: int) -> nx.DiGraph:
    rng = np.random.default_rng(seed)
    count = rng.poisson(max(holders - 1.0, 0.0), companies) + 1
    held = np.repeat(np.arange(companies), count)
    holder = rng.integers(0, companies, held.size)
    keep = holder != held
    held, holder = held[keep], holder[keep]
    raw = rng.random(held.size)
    total = rng.uniform(0.10, 0.90, companies)
    share = raw / np.bincount(held, raw, companies)[held] * total[held]
    G = nx.DiGraph()
    G.add_nodes_from(range(companies))
    # a repeated holder/held pair keeps its last draw, so columns stay below the total
    G.add_weighted_edges_from(zip(holder.tolist(), held.tolist(), share.tolist()))
    return G


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--holders", type=float, default=3.0, help="mean shareholders per company")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5, help="holders timed (median reported)")
    args = parser.parse_args()

    start = time.perf_counter()
    G = random_ownership_graph(args.companies, args.holders, args.seed)
    print(f"graph: {G.number_of_nodes():,} companies, {G.number_of_edges():,} stakes "
          f"(built in {time.perf_counter() - start:.2f} s, not timed below)")

    start = time.perf_counter()
    matrix = _ownership_matrix(G)
    print(f"of which reading W out of networkx: {time.perf_counter() - start:.3f} s")

    rng = np.random.default_rng(args.seed + 1)
    holders = [int(h) for h in rng.choice([n for n in G if G.out_degree(n)], args.repeat, replace=False)]
    times, cpu = [], []
    for holder in holders:
        start, start_cpu = time.perf_counter(), time.process_time()
        row = integrated_ownership_of(G, holder)
        elapsed = time.perf_counter() - start
        times.append(elapsed)
        cpu.append(time.process_time() - start_cpu)
        print(f"holder {holder}: {elapsed:.3f} s (cpu {cpu[-1]:.3f} s), {len(row):,} companies with a "
              f"non-zero integrated stake, largest {max(row.values(), default=0.0):.4f}")
    print(f"integrated_ownership_of, {args.companies:,} companies: median {statistics.median(times):.3f} s "
          f"wall (min {min(times):.3f} s, max {max(times):.3f} s), median {statistics.median(cpu):.3f} s cpu")
    solve = []
    for holder in holders:
        start = time.perf_counter()
        _integrated_row(G, matrix, holder)
        solve.append(time.perf_counter() - start)
    print(f"of which checks + solve + result dict (W already read): median {statistics.median(solve):.3f} s")


if __name__ == "__main__":
    main()
