"""Score extracted facts against hand-made gold files (the library behind ``kg eval``).

Gold format: one JSON file per article, a list of facts with exactly the fields
``subject, subject_aliases, relation, object, object_aliases, percent, date, hedged,
evidence``. A file ``x.json`` or ``x.gold.json`` is the gold of the article ``x.txt``.

Matching is strict on relation, subject and object. A predicted name matches a gold
entity when, case-insensitively and with whitespace collapsed, the predicted name
(``subject``) or its surface string (``subject_text``) equals the gold name or one of
its aliases. ``partnerOf`` is symmetric; ``rebadgeOf`` and ``basedOn`` are accepted
in either direction because the gold fixes one direction by convention only.

Counting rules, chosen so that a sentence repeated in an article cannot inflate
or deflate a score:

- each gold fact is matched at most once; further predictions of an already matched
  gold fact are duplicates and count neither as TP nor as FP;
- predictions that match nothing count once per (doc, relation, subject, object);
- two predictions of one triple with different ``percent``/``date`` may match two gold
  facts of that triple (Toyota's 2006 and current stakes in Isuzu are two facts),
  identical ones only one.

Qualifier accuracy (percent, date, hedged) is computed over matched pairs only.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import EvalError
from .model import RELATIONS

__all__ = [
    "Score",
    "EvalReport",
    "GOLD_FIELDS",
    "DIRECTIONLESS",
    "doc_basename",
    "load_gold",
    "load_languages",
    "score",
    "format_report",
]

GOLD_FIELDS = (
    "subject",
    "subject_aliases",
    "relation",
    "object",
    "object_aliases",
    "percent",
    "date",
    "hedged",
    "evidence",
)

# partnerOf is symmetric; rebadgeOf/basedOn directions in the gold are conventions
# (README "Symmetric and near-symmetric relations"), so either direction scores.
DIRECTIONLESS = frozenset({"partnerOf", "rebadgeOf", "basedOn"})

QUALIFIERS = ("percent", "date", "hedged")
PERCENT_TOLERANCE = 0.01
UNKNOWN_LANG = "und"

# Header values seen in corpora ("language: Indonesian") -> ISO 639-1 codes.
_LANG_NAMES = {
    "id": "id",
    "ind": "id",
    "indonesian": "id",
    "bahasa indonesia": "id",
    "en": "en",
    "eng": "en",
    "english": "en",
}
_LANG_PREFIX = re.compile(r"^(id|en)[-_]", re.IGNORECASE)
_WS = re.compile(r"\s+")


@dataclass
class Score:
    """True positives, false positives and false negatives of one slice.

    >>> s = Score(tp=3, fp=1, fn=2)
    >>> (s.precision, round(s.recall, 3), round(s.f1, 3))
    (0.75, 0.6, 0.667)
    >>> Score(0, 0, 0).f1
    0.0
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class EvalReport:
    overall: Score
    by_relation: dict[str, Score]
    by_language: dict[str, Score]
    by_doc: dict[str, Score]
    # "percent" | "date" | "hedged" -> (correct, compared), over matched facts
    qualifiers: dict[str, tuple[int, int]]
    misses: list[dict]  # gold facts no prediction matched
    false_positives: list[dict]  # predictions that matched no gold fact (deduplicated)
    # matched pairs whose percent, date or hedged flag disagree (for error analysis)
    qualifier_errors: list[dict] = field(default_factory=list)
    # docs of predictions that have no gold file: not scored
    ignored_docs: list[str] = field(default_factory=list)

    def qualifier_accuracy(self, name: str) -> float:
        correct, compared = self.qualifiers.get(name, (0, 0))
        return correct / compared if compared else 0.0

    def to_dict(self) -> dict:
        return {
            "overall": self.overall.to_dict(),
            "by_relation": {k: v.to_dict() for k, v in self.by_relation.items()},
            "by_language": {k: v.to_dict() for k, v in self.by_language.items()},
            "by_doc": {k: v.to_dict() for k, v in self.by_doc.items()},
            "qualifiers": {
                k: {
                    "correct": c,
                    "compared": n,
                    "accuracy": round(c / n, 4) if n else 0.0,
                }
                for k, (c, n) in self.qualifiers.items()
            },
            "misses": self.misses,
            "false_positives": self.false_positives,
            "qualifier_errors": self.qualifier_errors,
            "ignored_docs": self.ignored_docs,
        }


# --------------------------------------------------------------------------- loading


def doc_basename(path: str | Path) -> str:
    """The key that ties a prediction to its gold file.

    >>> doc_basename("seeds/000_8c6e.txt"), doc_basename("gold/000_8c6e.gold.json")
    ('000_8c6e', '000_8c6e')
    >>> doc_basename(r"C:\\news\\id-01-x.txt")
    'id-01-x'
    """
    name = str(path).replace("\\", "/").rsplit("/", 1)[-1]
    if "." in name:
        name = name.rsplit(".", 1)[0]
    if name.endswith(".gold"):
        name = name[: -len(".gold")]
    return name


def _gold_files(gold_dir: Path) -> list[Path]:
    if not gold_dir.is_dir():
        raise EvalError(f"gold folder {gold_dir} not found; pass a folder of <article>.json gold files")
    files = sorted(p for p in gold_dir.iterdir() if p.is_file() and p.suffix == ".json")
    if not files:
        raise EvalError(f"no .json gold files in {gold_dir}; each article needs <basename>.json")
    return files


def _check_fact(path: Path, i: int, fact: object) -> dict:
    where = f"{path}: fact {i}"
    if not isinstance(fact, dict):
        raise EvalError(f"{where} is {type(fact).__name__}, not an object; fix the gold file")
    missing = [f for f in GOLD_FIELDS if f not in fact]
    if missing:
        raise EvalError(
            f"{where} lacks field(s) {', '.join(missing)}; every gold fact needs {', '.join(GOLD_FIELDS)}"
        )
    for name in ("subject", "relation", "object"):
        if not isinstance(fact[name], str) or not fact[name].strip():
            raise EvalError(f"{where}: {name} must be a non-empty string, got {fact[name]!r}")
    if fact["relation"] not in RELATIONS:
        raise EvalError(
            f"{where}: unknown relation {fact['relation']!r}; use one of {', '.join(RELATIONS)}"
        )
    for name in ("subject_aliases", "object_aliases"):
        value = fact[name]
        if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
            raise EvalError(f"{where}: {name} must be a list of strings, got {value!r}")
    percent = fact["percent"]
    if percent is not None and (isinstance(percent, bool) or not isinstance(percent, (int, float))):
        raise EvalError(f"{where}: percent must be a number or null, got {percent!r}")
    if fact["date"] is not None and not isinstance(fact["date"], str):
        raise EvalError(f"{where}: date must be a string or null, got {fact['date']!r}")
    if not isinstance(fact["hedged"], bool):
        raise EvalError(f"{where}: hedged must be true or false, got {fact['hedged']!r}")
    return dict(fact)


def _header_language(path: Path) -> str | None:
    """The ``language:`` line of a corpus file's header, as an ISO code."""
    try:
        with path.open(encoding="utf-8", errors="replace") as fh:
            for _, line in zip(range(12), fh):
                line = line.strip()
                if not line:  # the header ends at the first blank line
                    break
                key, sep, value = line.partition(":")
                if sep and key.strip().lower() == "language":
                    value = value.strip().lower()
                    return _LANG_NAMES.get(value, value or None)
    except OSError:
        return None
    return None


def _language_of(base: str, gold_path: Path, corpus_dir: Path | None) -> str:
    # Look beside the gold (seeds/x.gold.json + seeds/x.txt) and in ../corpus
    # (devset/gold + devset/corpus) when no corpus folder is given.
    folders = [corpus_dir] if corpus_dir is not None else [gold_path.parent, gold_path.parent.parent / "corpus"]
    for folder in folders:
        text = folder / f"{base}.txt"
        if text.is_file():
            lang = _header_language(text)
            if lang:
                return lang
    m = _LANG_PREFIX.match(base)
    return m.group(1).lower() if m else UNKNOWN_LANG


def load_gold(gold_dir: Path, corpus_dir: Path | None = None) -> dict[str, list[dict]]:
    """Read every ``*.json`` gold file of ``gold_dir``: doc basename -> facts.

    Each fact is a copy of the file's fact with ``doc`` (the basename) and ``lang``
    added. The language comes from the ``language:`` header line of
    ``<corpus_dir>/<basename>.txt``, else from an ``id-``/``en-`` basename prefix,
    else it is ``"und"``. Malformed files raise :class:`EvalError` naming the file.
    """
    gold_dir = Path(gold_dir)
    corpus_dir = Path(corpus_dir) if corpus_dir is not None else None
    gold: dict[str, list[dict]] = {}
    for path in _gold_files(gold_dir):
        base = doc_basename(path)
        if base in gold:
            raise EvalError(f"{path}: a second gold file for article {base!r}; keep one of x.json / x.gold.json")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as exc:
            raise EvalError(f"{path}: not UTF-8 ({exc.reason}); re-save the gold file as UTF-8") from None
        except json.JSONDecodeError as exc:
            raise EvalError(f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
        if not isinstance(data, list):
            raise EvalError(f"{path}: expected a JSON list of facts, got {type(data).__name__}")
        lang = _language_of(base, path, corpus_dir)
        facts = []
        for i, raw in enumerate(data):
            fact = _check_fact(path, i, raw)
            fact["doc"] = base
            fact["lang"] = lang
            facts.append(fact)
        gold[base] = facts
    return gold


def load_languages(gold_dir: Path, corpus_dir: Path | None = None) -> dict[str, str]:
    """Doc basename -> language for every gold file, including files with no facts."""
    gold_dir = Path(gold_dir)
    corpus_dir = Path(corpus_dir) if corpus_dir is not None else None
    return {doc_basename(p): _language_of(doc_basename(p), p, corpus_dir) for p in _gold_files(gold_dir)}


# --------------------------------------------------------------------------- matching


def _norm(name: object) -> str:
    return _WS.sub(" ", str(name)).strip().casefold() if name is not None else ""


def _pred_names(pred: dict, role: str) -> set[str]:
    names = {_norm(pred.get(role)), _norm(pred.get(f"{role}_text"))}
    names.discard("")
    return names


def _gold_names(fact: dict, role: str) -> set[str]:
    names = {_norm(fact[role])} | {_norm(a) for a in fact.get(f"{role}_aliases") or ()}
    names.discard("")
    return names


def _predicate(pred: dict) -> str:
    return str(pred.get("predicate") or pred.get("relation") or "")


def _matches(pred: dict, fact: dict) -> bool:
    relation = _predicate(pred)
    if relation != fact["relation"]:
        return False
    ps, po = _pred_names(pred, "subject"), _pred_names(pred, "object")
    gs, go = _gold_names(fact, "subject"), _gold_names(fact, "object")
    if ps & gs and po & go:
        return True
    return relation in DIRECTIONLESS and bool(ps & go) and bool(po & gs)


def _percent_equal(gold: object, pred: object) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    try:
        return abs(float(gold) - float(pred)) <= PERCENT_TOLERANCE
    except (TypeError, ValueError):
        return False


def _date_equal(gold: object, pred: object) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    return str(gold) == str(pred)


def _qualifier_checks(fact: dict, pred: dict) -> dict[str, bool]:
    return {
        "percent": _percent_equal(fact.get("percent"), pred.get("percent")),
        "date": _date_equal(fact.get("date"), pred.get("date")),
        "hedged": bool(fact.get("hedged")) == bool(pred.get("hedged")),
    }


def _triple_key(pred: dict) -> tuple[str, str, str]:
    """(relation, subject, object) for deduplicating false positives."""
    relation = _predicate(pred)
    s, o = _norm(pred.get("subject")), _norm(pred.get("object"))
    if relation in DIRECTIONLESS and o < s:
        s, o = o, s
    return relation, s, o


def _variant_key(pred: dict) -> tuple:
    """Predictions with equal key are one claim: they can match one gold fact only."""
    percent = pred.get("percent")
    try:
        percent = round(float(percent), 2) if percent is not None else None
    except (TypeError, ValueError):
        percent = str(percent)
    date = str(pred["date"]) if pred.get("date") is not None else None
    return (*_triple_key(pred), percent, date)


def _assign(claims: list[dict], facts: list[dict]) -> dict[int, int]:
    """Maximum matching of claims to gold facts (claim index -> fact index).

    Kuhn's augmenting paths guarantee the largest number of matched gold facts;
    trying edges in order of qualifier agreement makes the pairs it picks prefer
    gold facts whose percent/date/hedged agree with the claim.
    """
    edges: list[list[int]] = []
    for claim in claims:
        candidates = [j for j, fact in enumerate(facts) if _matches(claim, fact)]
        candidates.sort(key=lambda j: (-sum(_qualifier_checks(facts[j], claim).values()), j))
        edges.append(candidates)
    fact_owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in fact_owner or augment(fact_owner[j], seen):
                fact_owner[j] = i
                return True
        return False

    # Claims with a perfect qualifier match go first so they win contested facts.
    order = sorted(
        range(len(claims)),
        key=lambda i: (-(max((sum(_qualifier_checks(facts[j], claims[i]).values()) for j in edges[i]), default=0)), i),
    )
    for i in order:
        if edges[i]:
            augment(i, set())
    return {i: j for j, i in fact_owner.items()}


def _fact_view(fact: dict) -> dict:
    return {
        "doc": fact["doc"],
        "lang": fact.get("lang"),
        "subject": fact["subject"],
        "relation": fact["relation"],
        "object": fact["object"],
        "percent": fact.get("percent"),
        "date": fact.get("date"),
        "hedged": fact.get("hedged"),
        "evidence": fact.get("evidence"),
    }


def _pred_view(pred: dict, doc: str, lang: str) -> dict:
    evidence = pred.get("evidence") or {}
    if not isinstance(evidence, dict):
        evidence = {"text": str(evidence)}
    return {
        "doc": doc,
        "lang": lang,
        "subject": pred.get("subject"),
        "relation": _predicate(pred),
        "object": pred.get("object"),
        "percent": pred.get("percent"),
        "date": pred.get("date"),
        "hedged": bool(pred.get("hedged")),
        "evidence": evidence.get("text"),
        "start": evidence.get("start"),
        "end": evidence.get("end"),
        "rule": pred.get("rule"),
    }


def score(
    predictions: Iterable[dict],
    gold: dict[str, list[dict]],
    langs: dict[str, str] | None = None,
) -> EvalReport:
    """Compare predictions (JSONL contract dicts) with gold facts per document.

    ``langs`` maps doc basename -> language (see :func:`load_languages`); a doc
    missing from it (or ``"und"`` there) falls back to the ``lang`` of its gold facts,
    then to an ``id-``/``en-`` basename prefix, then to the ``lang`` of its predictions.
    Predictions of documents that have no gold entry are not scored; their docs are
    listed in ``ignored_docs``.
    """
    langs = dict(langs or {})
    by_doc_preds: dict[str, list[dict]] = defaultdict(list)
    ignored: set[str] = set()
    for n, pred in enumerate(predictions):
        if not isinstance(pred, dict) or not pred.get("doc"):
            raise EvalError(f"prediction {n} has no 'doc' field; predictions must follow the kg extract JSONL contract")
        doc = doc_basename(pred["doc"])
        if doc not in gold:
            ignored.add(doc)
            continue
        by_doc_preds[doc].append(pred)

    def known(value: object) -> str | None:
        return str(value) if value and value != UNKNOWN_LANG else None

    def language(doc: str) -> str:
        # The corpus header or file name (what load_gold found) is the authority;
        # the extractor's own guess only fills in when those say nothing.
        if known(langs.get(doc)):
            return langs[doc]
        for fact in gold.get(doc, ()):
            if known(fact.get("lang")):
                return fact["lang"]
        m = _LANG_PREFIX.match(doc)
        if m:
            return m.group(1).lower()
        for pred in by_doc_preds.get(doc, ()):
            if known(pred.get("lang")):
                return str(pred["lang"])
        return UNKNOWN_LANG

    overall = Score()
    by_relation: dict[str, Score] = defaultdict(Score)
    by_language: dict[str, Score] = defaultdict(Score)
    by_doc: dict[str, Score] = {}
    qualifiers = {q: [0, 0] for q in QUALIFIERS}
    misses: list[dict] = []
    false_positives: list[dict] = []
    qualifier_errors: list[dict] = []

    for doc in sorted(gold):
        facts = [f if "doc" in f else {**f, "doc": doc} for f in gold[doc]]
        lang = language(doc)
        # Collapse identical claims first, keeping the first prediction as representative.
        claims: dict[tuple, list[dict]] = {}
        for pred in by_doc_preds.get(doc, ()):
            claims.setdefault(_variant_key(pred), []).append(pred)
        reps = [group[0] for group in claims.values()]
        assigned = _assign(reps, facts)
        slices = [overall, by_language[lang], by_doc.setdefault(doc, Score())]

        for i, j in sorted(assigned.items(), key=lambda kv: kv[1]):
            fact, pred = facts[j], reps[i]
            for s in (*slices, by_relation[fact["relation"]]):
                s.tp += 1
            checks = _qualifier_checks(fact, pred)
            for q, ok in checks.items():
                qualifiers[q][0] += ok
                qualifiers[q][1] += 1
            if not all(checks.values()):
                qualifier_errors.append(
                    {
                        "gold": _fact_view(fact),
                        "predicted": _pred_view(pred, doc, lang),
                        "wrong": [q for q, ok in checks.items() if not ok],
                    }
                )

        matched_facts = set(assigned.values())
        for j, fact in enumerate(facts):
            if j not in matched_facts:
                for s in (*slices, by_relation[fact["relation"]]):
                    s.fn += 1
                misses.append(_fact_view(fact))

        # Unassigned claims that match some gold fact are duplicates of a TP: not FPs.
        fp_groups: dict[tuple, list[dict]] = {}
        for i, rep in enumerate(reps):
            if i in assigned or any(_matches(rep, fact) for fact in facts):
                continue
            fp_groups.setdefault(_triple_key(rep), []).extend(claims[_variant_key(rep)])
        for preds in fp_groups.values():
            pred = preds[0]
            for s in (*slices, by_relation[_predicate(pred)]):
                s.fp += 1
            view = _pred_view(pred, doc, lang)
            view["count"] = len(preds)
            false_positives.append(view)

    return EvalReport(
        overall=overall,
        by_relation={r: by_relation[r] for r in sorted(by_relation, key=_relation_order)},
        by_language=dict(sorted(by_language.items())),
        by_doc=by_doc,
        qualifiers={q: (c, n) for q, (c, n) in qualifiers.items()},
        misses=misses,
        false_positives=false_positives,
        qualifier_errors=qualifier_errors,
        ignored_docs=sorted(ignored),
    )


def _relation_order(relation: str) -> tuple[int, str]:
    return (RELATIONS.index(relation) if relation in RELATIONS else len(RELATIONS), relation)


# --------------------------------------------------------------------------- formatting


def _score_cells(s: Score) -> list[str]:
    return [f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.tp), str(s.fp), str(s.fn)]


def _aligned(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[k]) for r in [header, *rows]) for k in range(len(header))]
    fmt = lambda r: "  ".join(c.ljust(w) if k == 0 else c.rjust(w) for k, (c, w) in enumerate(zip(r, widths)))  # noqa: E731
    return [fmt(header), "  ".join("-" * w for w in widths), *(fmt(r) for r in rows)]


def _qualifier_cells(report: EvalReport) -> list[str]:
    out = []
    for q, (c, n) in report.qualifiers.items():
        acc = f"{c / n:.3f}" if n else "n/a"
        out.append(f"{q} {acc} ({c}/{n})")
    return out


def _fact_line(item: dict) -> str:
    extras = []
    if item.get("percent") is not None:
        extras.append(f"percent={item['percent']}")
    if item.get("date") is not None:
        extras.append(f"date={item['date']}")
    if item.get("hedged"):
        extras.append("hedged")
    if item.get("rule"):
        extras.append(f"rule={item['rule']}")
    if item.get("count", 1) > 1:
        extras.append(f"x{item['count']}")
    tail = f" [{', '.join(extras)}]" if extras else ""
    line = f"  {item['doc']}: {item['relation']}({item['subject']}, {item['object']}){tail}"
    if item.get("evidence"):
        line += f"\n      \"{_WS.sub(' ', str(item['evidence'])).strip()}\""
    return line


def _format_table(report: EvalReport) -> str:
    header = ["relation", "P", "R", "F1", "tp", "fp", "fn"]
    rows = [[r, *_score_cells(s)] for r, s in report.by_relation.items()]
    rows.append(["ALL", *_score_cells(report.overall)])
    lines = _aligned(header, rows)
    lines.append("")
    lang_rows = [[lang, *_score_cells(s)] for lang, s in report.by_language.items()]
    lines += _aligned(["language", *header[1:]], lang_rows)
    lines.append("")
    lines.append("qualifier accuracy (matched facts): " + "; ".join(_qualifier_cells(report)))
    if report.ignored_docs:
        lines.append(f"not scored (no gold file): {', '.join(report.ignored_docs)}")
    lines.append("")
    lines.append(f"misses ({len(report.misses)}):")
    lines += [_fact_line(m) for m in report.misses] or ["  (none)"]
    lines.append("")
    lines.append(f"false positives ({len(report.false_positives)}):")
    lines += [_fact_line(fp) for fp in report.false_positives] or ["  (none)"]
    if report.qualifier_errors:
        lines.append("")
        lines.append(f"qualifier errors ({len(report.qualifier_errors)}):")
        for err in report.qualifier_errors:
            g, p = err["gold"], err["predicted"]
            diffs = ", ".join(f"{q}: gold {g[q]!r} vs {p[q]!r}" for q in err["wrong"])
            lines.append(f"  {g['doc']}: {g['relation']}({g['subject']}, {g['object']}) {diffs}")
    return "\n".join(lines) + "\n"


def _format_markdown(report: EvalReport) -> str:
    def row(cells: list[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    lines = [row(["relation", "P", "R", "F1", "tp", "fp", "fn"]), row(["---", *["---:"] * 6])]
    lines += [row([f"`{r}`", *_score_cells(s)]) for r, s in report.by_relation.items()]
    lines += [row([f"language `{lang}`", *_score_cells(s)]) for lang, s in report.by_language.items()]
    lines.append(row(["**all**", *(f"**{c}**" for c in _score_cells(report.overall))]))
    lines.append("")
    lines.append("Qualifier accuracy over matched facts: " + "; ".join(_qualifier_cells(report)) + ".")
    return "\n".join(lines) + "\n"


def format_report(report: EvalReport, fmt: str = "table") -> str:
    """Render a report as ``table`` (plain text), ``json`` or ``markdown``."""
    if fmt == "table":
        return _format_table(report)
    if fmt == "json":
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    if fmt == "markdown":
        return _format_markdown(report)
    raise EvalError(f"unknown report format {fmt!r}; use table, json or markdown")
