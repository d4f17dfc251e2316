"""Safe SPARQL: check a query, run it in a child process, format the answer.

User queries are untrusted. Three layers keep them in their box:

1. :func:`check_query` parses the text with rdflib's SPARQL parser and walks the
   parsed tree and the algebra. ``SERVICE``, ``LOAD``, updates (unless allowed) and
   ``FROM``/``FROM NAMED``/``USING`` of anything but a document graph are refused.
   The check works on the parsed form because SPARQL decodes ``\\u0053ERVICE``
   escapes before parsing, so no text filter can be trusted.
2. :func:`run_query` executes in a child process with a wall-clock limit and a row
   cap: neither rdflib nor pyoxigraph can time out a query, and pyoxigraph crashes
   (segfault) on some hostile inputs. A dead child is an error, not a dead ``kg``.
3. On Linux the child first moves itself into fresh user and network namespaces
   (best effort, ~1 ms) so that even a query the checker misread cannot open a
   socket: pyoxigraph would follow ``SERVICE`` from native code.

Values from callers (question templates) are bound as RDF terms through
pyoxigraph's ``substitutions``, never pasted into the query text.
"""

from __future__ import annotations

import csv
import ctypes
import faulthandler
import io
import json
import multiprocessing
import os
import re
import signal
import sys
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox
from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
from rdflib.plugins.sparql.parser import expandUnicodeEscapes, parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef

from kg.errors import QueryError, StoreError, StoreInUse
from kg.iri import DOC, ENTITY, ONTOLOGY
from kg.graph import PREFIXES
from kg.store import locked

# Prefixes a query may use without declaring them (its own PREFIX lines win): the
# ones kg writes its exports with.
DEFAULT_PREFIXES = PREFIXES

__all__ = ["QueryResult", "check_query", "run_query", "format_result"]

#: Relative IRIs in a query resolve here, the same way for the checker and the engine.
BASE_IRI = "https://w3id.org/autokg/"
#: Brackets nested deeper than this are refused before any parser sees them.
MAX_NESTING = 64
#: Wall-clock limit for the syntax check child of :func:`check_query`.
CHECK_TIMEOUT = 10.0

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

_UPDATE_OPERATIONS = {
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT ... WHERE",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "Load": "LOAD",
}


@dataclass
class QueryResult:
    """The answer of :func:`run_query`.

    ``kind`` is ``"select"``, ``"ask"``, ``"construct"`` (CONSTRUCT and DESCRIBE) or
    ``"update"``. ``rows`` holds tuples of pyoxigraph terms (``None`` for unbound)
    for SELECT, ``[(bool,)]`` for ASK, ``(subject, predicate, object)`` tuples for
    CONSTRUCT, nothing for an update. ``truncated`` says the row cap cut the answer.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    truncated: bool = False


@dataclass(frozen=True)
class _Plan:
    """What the checker learnt about a text the engine may run."""

    operation: str  # "query" or "update"
    union: bool  # no FROM/FROM NAMED: the default graph is the union of documents


# --------------------------------------------------------------------------- check


def check_query(text: str, *, allow_update: bool = False) -> None:
    """Refuse anything but a safe, well-formed query; raise :class:`QueryError`.

    rdflib's parser decides what the query *does*; pyoxigraph's parser, the one
    that will run it, must also accept it (rdflib misses some scope rules, e.g.
    ``SELECT ?o {...} GROUP BY ?s``). pyoxigraph parses in a child process.

    >>> check_query("SELECT ?s WHERE { ?s ?p ?o }")
    >>> check_query("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: KG400: refused SERVICE <http://example.org/sparql>: queries may not call other endpoints; import the data with `kg import` and query it here
    """
    plan = _inspect(text, allow_update)
    _in_child(_parse_with_oxigraph, (text, plan.operation), CHECK_TIMEOUT, "query check")


def _inspect(text: str, allow_update: bool) -> _Plan:
    if not isinstance(text, str):
        raise QueryError(f"a SPARQL query must be text, not {type(text).__name__}")
    return _inspect_cached(text, bool(allow_update))


@lru_cache(maxsize=512)  # question templates run the same text with new bindings
def _inspect_cached(text: str, allow_update: bool) -> _Plan:
    try:
        decoded = expandUnicodeEscapes(text)
    except ValueError as exc:
        raise QueryError(f"SPARQL syntax error: {exc} — check the query") from None
    _check_nesting(decoded)
    try:
        operation, parsed, algebra = _parse(text)
        _refuse_unsafe(parsed, algebra, operation, allow_update)
    except RecursionError:
        raise _too_deep() from None
    has_dataset = any(n.name in ("DatasetClause", "UsingClause") for n in _nodes(algebra))
    return _Plan(operation, union=not has_dataset)


def _check_nesting(decoded: str) -> None:
    # Counts brackets everywhere, strings included: cheap and never fooled into
    # counting too few, except by closers hidden in strings, which the parser's
    # own recursion limit then catches.
    depth = deepest = 0
    for match in re.finditer(r"[{(\[]|[})\]]", decoded):
        if match.group() in "{([":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_NESTING:
                    raise _too_deep()
        elif depth:
            depth -= 1


def _too_deep() -> QueryError:
    return QueryError(
        f"SPARQL query nests brackets too deeply (limit {MAX_NESTING} levels, less "
        "inside expressions); flatten the query"
    )


def _parse(text: str) -> tuple[str, object, object]:
    """Parse as a query, else as an update; return (operation, tree, algebra)."""
    try:
        parsed = parseQuery(text)
    except ParseBaseException as query_error:
        try:
            parsed = parseUpdate(text)
        except ParseBaseException as update_error:
            # Report whichever parser got further into the text.
            best = update_error if update_error.loc > query_error.loc else query_error
            raise _syntax_error(best.lineno, best.col, best.msg) from None
        if not dict.get(parsed, "request"):
            raise QueryError(
                "the text holds no SPARQL query; write a SELECT, ASK, CONSTRUCT or "
                "DESCRIBE query"
            ) from None
        return "update", parsed, _translate(translateUpdate, parsed)
    return "query", parsed, _translate(translateQuery, parsed)


def _translate(translate, parsed):
    try:
        return translate(parsed, base=BASE_IRI, initNs=DEFAULT_PREFIXES).algebra
    except RecursionError:
        raise
    except Exception as exc:  # rdflib raises bare Exception for semantic errors
        raise QueryError(f"SPARQL query rejected: {_one_line(str(exc))} — check the query") from None


def _syntax_error(line: int, column: int, message: str) -> QueryError:
    message = _one_line(message)
    if len(message) > 160:
        message = message[:157] + "..."
    return QueryError(f"SPARQL syntax error at line {line}, column {column}: {message} — check the query")


def _refuse_unsafe(parsed, algebra, operation: str, allow_update: bool) -> None:
    everything = [*_nodes(parsed), *_nodes(algebra)]
    for node in everything:
        if node.name == "ServiceGraphPattern":
            raise QueryError(
                f"refused SERVICE {_show(dict.get(node, 'term'))}: queries may not call other "
                "endpoints; import the data with `kg import` and query it here"
            )
        if node.name == "Load":
            raise QueryError(
                f"refused LOAD {_show(dict.get(node, 'iri'))}: SPARQL may not read files or URLs; "
                "use `kg import FILE` instead"
            )
    if operation == "update" and not allow_update:
        names = dict.fromkeys(
            _UPDATE_OPERATIONS[n.name] for n in everything if n.name in _UPDATE_OPERATIONS
        )
        raise QueryError(
            f"refused SPARQL update ({', '.join(names) or 'update'}): queries are "
            "read-only; rerun with --allow-update if you mean to change the store"
        )
    # Only the algebra has prefixed names resolved; rdflib would fetch these IRIs.
    for node in _nodes(algebra):
        if node.name in ("DatasetClause", "UsingClause"):
            # CompValue.get returns the key itself when it is missing: use dict.get.
            named = dict.get(node, "named")
            iri = dict.get(node, "default") if named is None else named
            if not (isinstance(iri, URIRef) and str(iri).startswith(DOC) and len(iri) > len(DOC)):
                keyword = "FROM" if node.name == "DatasetClause" else "USING"
                if named is not None:
                    keyword += " NAMED"
                raise QueryError(
                    f"refused {keyword} {_show(iri)}: only document graphs <{DOC}...> may be "
                    "named; drop it — the default graph is already the union of all documents"
                )


def _nodes(tree):
    """Every CompValue in an rdflib parse tree or algebra, depth first, no recursion."""
    stack, seen = [tree], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        if isinstance(node, CompValue):
            seen.add(id(node))
            yield node
            stack.extend(dict.values(node))
        elif isinstance(node, (list, tuple, ParseResults)):
            seen.add(id(node))
            stack.extend(node)
        elif isinstance(node, dict):  # translateUpdate keeps quads in a defaultdict
            seen.add(id(node))
            stack.extend(node.values())
        elif hasattr(node, "algebra"):  # rdflib Query / Update objects
            stack.append(node.algebra)


def _show(term) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, CompValue) and term.name == "pname":
        return f"{dict.get(term, 'prefix') or ''}:{dict.get(term, 'localname') or ''}"
    return _one_line(str(term)) if term is not None else "(no IRI)"


def _one_line(message: str) -> str:
    return " ".join(message.split())


# ----------------------------------------------------------------------------- run


def run_query(
    store_dir: str,
    text: str,
    *,
    timeout: float = 30.0,
    max_rows: int = 10000,
    allow_update: bool = False,
    substitutions: dict | None = None,
) -> QueryResult:
    """Check ``text`` and run it on the store in ``store_dir``, in a child process.

    ``substitutions`` maps variables (``pyoxigraph.Variable`` or their names) to
    pyoxigraph terms, bound before evaluation (SEP-0007); pyoxigraph accepts only
    variables the query projects (``SELECT *`` or listed). Queries without FROM see
    the union of all document graphs as their default graph; updates run in a
    fresh interpreter (a forked one cannot flush RocksDB) and see the store's own
    default graph, so they name graphs with ``GRAPH``.
    Raises :class:`QueryError` (refused, malformed, too slow, engine crash) or
    :class:`StoreError` (missing, damaged or locked store).
    """
    if not timeout or timeout <= 0:
        raise QueryError(f"timeout must be a positive number of seconds, not {timeout!r}")
    if max_rows < 1:
        raise QueryError(f"max_rows must be at least 1, not {max_rows!r}")
    plan = _inspect(text, allow_update)
    if substitutions and plan.operation == "update":
        raise QueryError("substitutions bind query variables only; write the values into the update")
    store_dir = os.fspath(store_dir)
    if not os.path.isfile(os.path.join(store_dir, "CURRENT")):
        raise StoreError(f"no kg store at {store_dir}; build or import one first, or check the path")
    bindings = {_variable_name(k): _encode(v) for k, v in (substitutions or {}).items()}
    job = (store_dir, text, plan, max_rows, bindings)
    # the child opens the store itself: hold the readers' (or writer's) lock for it
    with locked(store_dir, exclusive=plan.operation == "update"):
        reply = _in_child(_execute, job, timeout, "query", fork=plan.operation == "query")
    kind, variables, rows = reply
    truncated = len(rows) > max_rows
    rows = rows[:max_rows]
    if kind in ("select", "construct"):
        decode = _Decoder()
        rows = [tuple(decode(t) for t in row) for row in rows]
    return QueryResult(kind, variables, rows, truncated)


def _variable_name(key) -> str:
    name = key.value if isinstance(key, ox.Variable) else str(key)
    return name.lstrip("?$")


def _context(fork: bool = True):
    if fork and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _in_child(target, args: tuple, timeout: float, what: str, *, fork: bool = True):
    """Run ``target(*args)`` in a child; return its value or raise its error.

    A forked child (~5 ms) inherits RocksDB's thread pool as empty shells: reads
    work, but a write that needs a flush would wait forever. Writers therefore get a
    fresh (spawned) interpreter.
    """
    ctx = _context(fork)
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child_main, args=(sender, target, args), daemon=True)
    child.start()
    sender.close()  # so a dead child reads as EOF here
    reply, answered = None, False
    try:
        answered = receiver.poll(timeout)
        if answered:
            try:
                reply = receiver.recv()
            except (EOFError, OSError):
                reply = None  # the child died before it could answer
    finally:
        receiver.close()
        if answered:
            child.join(1.0)  # it exits right after answering (or is dying)
        if child.is_alive():
            child.kill()
        child.join()
    if not answered:
        raise QueryError(f"{what} exceeded the {timeout:g} s time limit; narrow it or raise --timeout")
    if reply is None:
        code = child.exitcode
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else f"signal {-code}"
            raise QueryError(
                f"the SPARQL engine crashed ({name}) on this {what}; simplify it (less nesting, "
                "smaller literals) and retry"
            )
        raise QueryError(f"the SPARQL engine stopped without an answer (exit code {code}); retry the {what}")
    status, *payload = reply
    if status == "ok":
        return payload[0]
    kind, message = payload
    raise _child_error(kind, message, args)


def _child_error(kind: str, message: str, args: tuple) -> Exception:
    if kind == "syntax":
        match = re.match(r"error at (\d+):(\d+): (.*)", message)
        if match:
            return _syntax_error(int(match.group(1)), int(match.group(2)), match.group(3))
        return QueryError(f"SPARQL syntax error: {message} — check the query")
    if kind == "store-in-use":
        return StoreInUse(f"store at {args[0]} is in use by another writer; wait for it to finish and retry")
    if kind == "store":
        return StoreError(f"cannot open the store at {args[0]}: {message}; check the path or rebuild the store")
    return QueryError(f"SPARQL query failed: {message} — check the query")


def _child_main(conn, target, args) -> None:
    faulthandler.disable()  # a crash is reported by the parent, in one line
    try:
        _isolate_network()
        reply = ("ok", target(*args))
    except _ChildError as exc:
        reply = ("error", exc.kind, _one_line(str(exc)))
    except SyntaxError as exc:
        reply = ("error", "syntax", _one_line(str(exc.msg if exc.msg else exc)))
    except BaseException as exc:  # report everything; the parent decides
        reply = ("error", "query", _one_line(f"{type(exc).__name__}: {exc}"))
    conn.send(reply)
    conn.close()


class _ChildError(Exception):
    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def _isolate_network() -> bool:
    """Cut the child off from every network (Linux, unprivileged user namespaces).

    Best effort: where namespaces are unavailable the rdflib check still stands.
    """
    if not sys.platform.startswith("linux"):
        return False
    clone_newuser, clone_newnet = 0x10000000, 0x40000000
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.unshare(clone_newuser | clone_newnet) == 0
    except (OSError, AttributeError):
        return False


def _parse_with_oxigraph(text: str, operation: str) -> None:
    """Child side of :func:`check_query`: let the engine's own parser judge the text.

    Runs on an empty in-memory store; SELECT/CONSTRUCT results are lazy, so only
    ASK and updates evaluate anything, on nothing.
    """
    store = ox.Store()
    try:
        if operation == "update":
            store.update(text, base_iri=BASE_IRI, prefixes=DEFAULT_PREFIXES)
        else:
            store.query(text, base_iri=BASE_IRI, prefixes=DEFAULT_PREFIXES)
    except SyntaxError:
        raise
    except Exception:
        pass  # parsed fine; e.g. an unknown extension function fails only when run
    return None


def _execute(store_dir: str, text: str, plan: _Plan, max_rows: int, bindings: dict):
    """Child side of :func:`run_query`: open the store, run, return plain tuples."""
    try:
        store = ox.Store(store_dir) if plan.operation == "update" else ox.Store.read_only(store_dir)
    except OSError as exc:
        kind = "store-in-use" if "lock" in str(exc).lower() else "store"
        raise _ChildError(kind, str(exc)) from None
    if plan.operation == "update":
        store.update(text, base_iri=BASE_IRI, prefixes=DEFAULT_PREFIXES)
        store.flush()
        del store
        return ("update", [], [])
    substitutions = {ox.Variable(name): _Decoder()(value) for name, value in bindings.items()}
    answer = store.query(
        text,
        base_iri=BASE_IRI,
        prefixes=DEFAULT_PREFIXES,
        use_default_graph_as_union=plan.union,  # it would override FROM otherwise
        substitutions=substitutions or None,
    )
    if isinstance(answer, ox.QueryBoolean):
        return ("ask", [], [(bool(answer),)])
    rows = []
    for row in answer:  # stream; stop one past the cap so the parent sees truncation
        rows.append(tuple(_encode(term) for term in row))
        if len(rows) > max_rows:
            break
    if isinstance(answer, ox.QuerySolutions):
        return ("select", [v.value for v in answer.variables], rows)
    return ("construct", [], rows)


# Terms cross the process boundary as plain values: an IRI as its string, others as
# small tagged tuples. Cheaper to pickle than pyoxigraph objects and spawn-safe.


def _encode(term):
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        if term.language:
            direction = getattr(term, "direction", None)
            return ("L", term.value, term.language, direction.name if direction else None)
        return ("D", term.value, term.datatype.value)
    if isinstance(term, ox.BlankNode):
        return ("B", term.value)
    if isinstance(term, ox.Triple):
        return ("T", _encode(term.subject), _encode(term.predicate), _encode(term.object))
    raise QueryError(f"cannot bind {term!r}: substitutions take pyoxigraph terms")


class _Decoder:
    """Rebuild pyoxigraph terms, sharing one object per repeated IRI."""

    def __init__(self):
        self.iris: dict[str, ox.NamedNode] = {}

    def __call__(self, value):
        if value is None:
            return None
        if isinstance(value, str):
            node = self.iris.get(value)
            if node is None:
                node = self.iris[value] = ox.NamedNode(value)
            return node
        tag = value[0]
        if tag == "D":
            return ox.Literal(value[1], datatype=self(value[2]))
        if tag == "L":
            if value[3]:
                return ox.Literal(value[1], language=value[2], direction=ox.BaseDirection[value[3]])
            return ox.Literal(value[1], language=value[2])
        if tag == "B":
            return ox.BlankNode(value[1])
        return ox.Triple(self(value[1]), self(value[2]), self(value[3]))


# -------------------------------------------------------------------------- format

_PREFIXES = (
    ("kgr", ENTITY),
    ("kgo", ONTOLOGY),
    ("doc", DOC),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("dcterms", "http://purl.org/dc/terms/"),
)
_LOCAL_NAME = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?\Z")
_GRAPH_COLUMNS = ["subject", "predicate", "object"]


def format_result(result: QueryResult, fmt: str) -> str:
    """Render a result as ``table`` (aligned text), ``csv`` or ``json``.

    ``csv`` and ``json`` follow the SPARQL 1.1 CSV and JSON results formats; a
    CONSTRUCT result is rendered as bindings of ``subject``, ``predicate``,
    ``object``, an ASK result in CSV as one ``true``/``false`` line.

    >>> r = QueryResult("select", ["s", "n"], [(ox.NamedNode(ENTITY + "ampere"), ox.Literal("3"))])
    >>> print(format_result(r, "table"))
    s           n
    ----------  -
    kgr:ampere  3
    >>> format_result(r, "csv")
    's,n\\r\\nhttps://w3id.org/autokg/entity/ampere,3\\r\\n'
    """
    if fmt == "table":
        return _format_table(result)
    if fmt == "csv":
        return _format_csv(result)
    if fmt == "json":
        return _format_json(result)
    raise QueryError(f"unknown result format {fmt!r}; use table, csv or json")


def _columns(result: QueryResult) -> list[str]:
    return _GRAPH_COLUMNS if result.kind == "construct" else list(result.variables)


def _compact(term) -> str:
    if term is None:
        return ""
    if isinstance(term, bool):
        return "true" if term else "false"
    if isinstance(term, ox.NamedNode):
        iri = term.value
        for prefix, namespace in _PREFIXES:
            if iri.startswith(namespace) and _LOCAL_NAME.match(iri[len(namespace):]):
                return f"{prefix}:{iri[len(namespace):]}"
        return f"<{iri}>"
    if isinstance(term, ox.Literal):
        return term.value.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    if isinstance(term, ox.Triple):
        return f"<< {_compact(term.subject)} {_compact(term.predicate)} {_compact(term.object)} >>"
    return str(term)  # blank node: _:id


def _format_table(result: QueryResult) -> str:
    if result.kind == "ask":
        return "true" if result.rows and result.rows[0][0] else "false"
    if result.kind == "update":
        return "update done"
    header = _columns(result)
    cells = [[_compact(term) for term in row] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    if result.truncated:
        lines.append(f"(stopped at {len(result.rows)} rows; raise --max-rows to see more)")
    return "\n".join(lines)


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, bool):
        return "true" if term else "false"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)  # blank node _:id, quoted triple in N-Triples syntax


def _format_csv(result: QueryResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, as SPARQL 1.1 CSV says
    if result.kind == "ask":
        writer.writerow(["true" if result.rows and result.rows[0][0] else "false"])
        return out.getvalue()
    writer.writerow(_columns(result))
    for row in result.rows:
        writer.writerow([_csv_value(term) for term in row])
    return out.getvalue()


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.Literal):
        value = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            value["datatype"] = term.datatype.value
        return value
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    return {"type": "literal", "value": str(term)}


def _format_json(result: QueryResult) -> str:
    if result.kind == "ask":
        document = {"head": {}, "boolean": bool(result.rows and result.rows[0][0])}
    else:
        columns = _columns(result)
        bindings = [
            {name: _json_term(term) for name, term in zip(columns, row) if term is not None}
            for row in result.rows
        ]
        document = {"head": {"vars": columns}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=2)
