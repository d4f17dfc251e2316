"""Throughput on one long single-paragraph article that introduces many names.

Usage: python benchmarks/bench_long_article.py [--sentences N]

Checks that extraction stays linear in the length of an article: sentence splitting,
the names an article introduces and its abbreviations are all looked up per sentence,
so doubling N should roughly double the time.
"""

from __future__ import annotations

import argparse
import hashlib
import time

from kg.extract import extract_document
from kg.model import Document


def article(n: int) -> str:
    return " ".join(f"PT Kestrel Nusantara{i} (KN{i}) merakit Toyota Avanza di Cikarang. "
                    f"KN{i} merupakan anak usaha PT Astra International Tbk." for i in range(n))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sentences", type=int, default=3000)
    args = parser.parse_args()
    from kg.lang import detect_language

    detect_language("Toyota akan merakit mobil baru di pabrik Karawang tahun ini.")  # load langid,
    extract_document(Document(source="warm.txt", text=article(5), lang="id", key="warm"))  # lexicons, KB
    for n in (args.sentences // 2, args.sentences):
        text = article(n)
        doc = Document(source="long.txt", text=text, lang="id", key=hashlib.sha256(text.encode()).hexdigest())
        start = time.perf_counter()
        facts = extract_document(doc)
        elapsed = time.perf_counter() - start
        size = len(text.encode("utf-8")) / 1e6
        print(f"{2 * n} sentences, {size:.2f} MB: {elapsed:.2f} s = {size / elapsed:.2f} MB/s, {len(facts)} facts")


if __name__ == "__main__":
    main()
