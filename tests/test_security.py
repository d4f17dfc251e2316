"""Hostile input and hostile moments: names that break naive RDF writers, question
templates fed injection strings, bad files, pathological queries, exports killed
mid-write, two builds on one store, and a run with the network cut off."""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.errors import KGError, StoreInUse
from kg.graph import document_quads
from kg.iri import DOC, ENTITY, ONTOLOGY, doc_iri, entity_iri, slugify
from kg.model import Document, Entity, Evidence, Fact
from kg.pipeline import export
from kg.store import atomic_write, open_store, replace_graph

from helpers import one_error_line, rdflib_graph, run, store_quads, term

# rdflib's own parsers still call its deprecated ConjunctiveGraph API.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
TRIPLE_FORMATS = {"turtle": ("turtle", ox.RdfFormat.TURTLE), "nt": ("nt", ox.RdfFormat.N_TRIPLES),
                  "jsonld": ("json-ld", ox.RdfFormat.JSON_LD)}
# a crawler's idea of a company name
HOSTILE = '"\'<>{}|\\^`\n\t\r\x00\x01\x1f\x7f %#@:;/?&=+.$!*(),[]\u202e\u202b\u200f\u200e\u2028\u2029\ufeff\ufffe' \
          "\U0001f697\U0001f1ee\U0001f1e9éẞ\u0301\\u0041\\n"
NAMES = st.one_of(
    st.text(alphabet=HOSTILE, min_size=1, max_size=12),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12),
    st.lists(st.sampled_from(['x" } ; DROP ALL ; #', "Nissan", "%20", "\U0001f697", "\u202eRTL", "a\x00b",
                              "<http://evil.example/>", "file:///etc/passwd", "\\", "'''", '"""']),
             min_size=1, max_size=3).map(" ".join),
)







def assert_exports_round_trip(store_dir: Path) -> dict[str, bytes]:
    """Turtle, N-Triples, JSON-LD and TriG of the store parse back, in rdflib and in
    pyoxigraph, into graphs isomorphic to what the store holds."""
    quads = store_quads(store_dir)
    expected = rdflib_graph(quads)
    exported = {}
    for fmt, (rdflib_format, ox_format) in TRIPLE_FORMATS.items():
        data = exported[fmt] = export(store_dir, fmt)
        via_rdflib = Graph().parse(data=data, format=rdflib_format)
        via_oxigraph = rdflib_graph(ox.parse(data, format=ox_format))
        assert len(via_rdflib) == len(expected), fmt
        assert isomorphic(via_rdflib, expected), fmt
        assert isomorphic(via_oxigraph, expected), fmt
    data = exported["trig"] = export(store_dir, "trig")
    by_graph: dict[str, Graph] = {}
    for q in quads:
        by_graph.setdefault(q.graph_name.value, Graph()).add((term(q.subject), term(q.predicate), term(q.object)))
    dataset = Dataset()
    dataset.parse(data=data, format="trig")
    named = {str(g.identifier): g for g in dataset.graphs() if len(g)}
    assert set(named) == set(by_graph)
    parsed: dict[str, Graph] = {}
    for q in ox.parse(data, format=ox.RdfFormat.TRIG):
        parsed.setdefault(q.graph_name.value, Graph()).add((term(q.subject), term(q.predicate), term(q.object)))
    for name, graph in by_graph.items():
        assert isomorphic(named[name], graph) and isomorphic(parsed[name], graph), name
    return exported


def assert_terms_are_safe(quads, local: str) -> None:
    """Every IRI absolute, valid and ours or the input's web address; nothing names a local path."""
    for q in quads:
        for node in (q.subject, q.predicate, q.object, q.graph_name):
            if isinstance(node, ox.NamedNode):
                assert ox.NamedNode(node.value) == node  # valid: pyoxigraph re-accepts it
                assert re.match(r"^https?://[^/\s]+/", node.value), node
                assert not node.value.startswith("file:")
            assert local not in node.value, node
            assert not isinstance(node, ox.BlankNode)


# --------------------------------------------------------------------- 1. hostile names


def _document(names: list[str], folder: str) -> tuple[Document, list[Fact]]:
    """A document whose text, title and file name carry the names, with facts between them."""
    text = " ".join(f"{name} memproduksi {name} B." for name in names)
    key = hashlib.sha256(text.encode("utf-8")).hexdigest()
    doc = Document(source=f"{folder}/{names[0].replace('/', '_')}.txt", text=text, lang="id", key=key,
                   title=names[-1], url="https://example.org/" + slugify(names[0]), published="2024-01-22")
    facts = []
    cursor = 0
    for index, name in enumerate(names):
        start = text.index(name, cursor)
        end = text.index(" B.", start) + 3
        cursor = end
        maker = Entity(slugify(name), name, "Company")
        model = Entity(slugify(name + " B"), name + " B", "CarModel")
        evidence = Evidence(doc.source, key, text[start:end], start, end)
        extras = {"subject_text": name + " B", "object_text": name, "aliases": (name,)}
        facts.append(Fact(model, "producedBy", maker, evidence, f"id.rule.{index}", "id", 0.8, extras=extras))
        facts.append(Fact(maker, "ownsStake", model, evidence, "id.stake", "id", 0.5, percent=12.5,
                          date="2024-01", extras=extras))
    return doc, facts


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(NAMES, min_size=1, max_size=8))
def test_hostile_names_export_and_parse_back_everywhere(names):
    with tempfile.TemporaryDirectory() as scratch:
        folder = f"{scratch}/crawl"
        doc, facts = _document(names, folder)
        quads = document_quads(doc, facts)
        store_dir = Path(scratch) / "store"
        store = open_store(store_dir, write=True)
        replace_graph(store, ox.NamedNode(doc_iri(doc.key)), quads)
        store.flush()
        del store

        stored = store_quads(store_dir)
        assert_terms_are_safe(stored, scratch)
        labels = {q.object.value for q in stored if q.predicate.value == LABEL}
        assert {n for n in names} | {n + " B" for n in names} <= labels  # every name kept exactly
        assert_exports_round_trip(store_dir)


@given(name=NAMES)
@settings(max_examples=200, deadline=None)
def test_minted_entity_iris_are_absolute_valid_and_plain(name):
    iri = entity_iri(slugify(name))
    assert ox.NamedNode(iri).value == iri
    assert re.fullmatch(re.escape(ENTITY) + r"[a-z0-9]+(?:-[a-z0-9]+)*", iri), iri
    assert slugify(name) == slugify(name)  # no hash seed or state involved


def _hostile_corpus(folder: Path) -> Path:
    folder.mkdir()
    odd_name = 'we"ird <x> {y} | ^ ` % \U0001f697 \u202e.txt'
    (folder / odd_name).write_text(
        'title: Judul "aneh" <b>{x}</b> | \\ ^ ` % \U0001f697 \u202e RTL \u200f\n'
        "url: file:///etc/passwd\n"
        "language: en\n\n"
        'Renault Group holds a 10% stake in Nissan "x" } ; DROP ALL ; # <>{}|\\^` %20 \U0001f697 \u202e \u200f, '
        "the company said.\n\nZëta Motors holds a 5% stake in Nissan, the company said.\n",
        encoding="utf-8",
    )
    record = {
        "language": "en", "title": 't\x00\n"', "url": "http://x.example/<script>",
        "text": 'Renault Group owns 36% of Nissan after the deal "\x00\t\x01\x7f\u2028", the French company said.'
                "\r\n\r\nAmpere Motors, the unit of Renault Group, said \\u0041 \U0001f697 %00.",
    }
    (folder / "feed.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (folder / "page.html").write_text(
        "<html><head><title>A &quot;quoted&quot; &lt;title&gt; \u202e</title><script>fetch('http://evil')</script>"
        "</head><body><p>Renault Group holds a 15% stake in Nissan &amp; &lt;friends&gt; `now`, the company said."
        "</p></body></html>", encoding="utf-8")
    return folder


def test_hostile_articles_build_and_export_to_parseable_rdf(tmp_path):
    corpus = _hostile_corpus(tmp_path / "crawl")
    store = tmp_path / "store"
    result = run("build", corpus, "--store", store, "-q")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("3 documents, ")
    quads = store_quads(store)
    assert_terms_are_safe(quads, str(tmp_path))
    literals = {q.object.value for q in quads if isinstance(q.object, ox.Literal)}
    assert any('DROP ALL ; # <>{}|\\^`' in text for text in literals)  # evidence kept as written
    assert any("\x00\t\x01" in text for text in literals)
    assert 'we"ird <x> {y} | ^ ` % \U0001f697 \u202e.txt' in literals  # the file name, never its folder
    assert "Zëta Motors" in literals and any(q.subject.value == ENTITY + "zeta-motors" for q in quads)
    assert not any("passwd" in q.object.value or "<script>" in q.object.value for q in quads)
    exported = assert_exports_round_trip(store)
    for data in exported.values():
        assert str(tmp_path).encode() not in data


def test_lone_surrogate_escape_in_jsonl_is_a_bad_file_not_a_crash(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Renault Group holds a 10% stake in Nissan \\ud800 today."}\n', encoding="utf-8")
    bad_title = tmp_path / "bad-title.jsonl"
    bad_title.write_text('{"text": "Renault Group holds a 10% stake in Nissan.", "title": "\\udfff"}\n',
                         encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text("Renault Group holds a 10% stake in Nissan, the company said.\n", encoding="utf-8")
    result = run("build", bad, bad_title, good, "--store", tmp_path / "store", "-q")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 2 and "Traceback" not in result.output
    assert f"{bad}:1" in errors[0] and "U+D800" in errors[0]
    assert f"{bad_title}:1" in errors[1] and "U+DFFF" in errors[1]
    assert result.stdout.startswith("1 documents, ")


# --------------------------------------------------------------------- 3. queries at the CLI


DEEP = "SELECT * WHERE " + "{" * 10_000 + "?s ?p ?o" + "}" * 10_000


@pytest.fixture(scope="module")
def seed_store(seeds_store) -> Path:
    return seeds_store


def _kg(*args, env=None, timeout=60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env)


def test_sparql_with_10000_nested_braces_is_one_line_and_the_cli_survives(seed_store, tmp_path):
    proc = _kg("sparql", DEEP, "--store", seed_store)
    assert proc.returncode == 1  # an error exit, not a signal
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert "nests brackets too deeply" in lines[0]
    query_file = tmp_path / "deep.rq"
    query_file.write_text(DEEP, encoding="utf-8")
    # the same process carries on answering after refusing it
    for attempt in (run("sparql", DEEP, "--store", seed_store), run("sparql", "--file", query_file, "--store", seed_store)):
        assert attempt.exit_code == 1
        assert "nests brackets too deeply" in one_error_line(attempt)
    after = run("sparql", "ASK { ?s ?p ?o }", "--store", seed_store, "--format", "json")
    assert after.exit_code == 0 and json.loads(after.stdout)["boolean"] is True


# --------------------------------------------------------------------- 4. question templates


INJECTION = 'x" } ; DROP ALL ; #'


@pytest.fixture(scope="module")
def ask_store(tmp_path_factory, seed_store) -> Path:
    """The seed build plus an entity that is really called like an injection."""
    folder = tmp_path_factory.mktemp("ask")
    store = folder / "store"
    shutil.copytree(seed_store, store)
    hostile = folder / "hostile.ttl"
    literal = INJECTION.replace("\\", "\\\\").replace('"', '\\"')
    hostile.write_text(textwrap.dedent(f"""\
        @prefix kgo: <{ONTOLOGY}> . @prefix kgr: <{ENTITY}> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        kgr:hostile a kgo:Company ; rdfs:label "{literal}" .
        kgr:owner-corp a kgo:Company ; rdfs:label "Owner Corp" ; kgo:ownsStake kgr:hostile .
        <{DOC}hostile#stake> a kgo:Shareholding ; kgo:holder kgr:owner-corp ; kgo:heldEntity kgr:hostile ;
            kgo:percent 25.0 .
        """), encoding="utf-8")
    assert run("import", hostile, "--store", store).exit_code == 0
    return store


def test_ask_with_an_injection_name_finds_the_right_rows(ask_store):
    before = export(ask_store, "nq")
    result = run("ask", f"who owns {INJECTION}?", "--store", ask_store, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["entity_iri"] == ENTITY + "hostile" and data["entity"] == INJECTION
    assert [(a["label"], a["detail"]) for a in data["answers"]] == [("Owner Corp", "25 %")]
    assert export(ask_store, "nq") == before


@pytest.mark.parametrize("name", [
    INJECTION,
    'Nissan" . ?s ?p ?o . #',
    "Nissan> } ; CLEAR ALL ; #",
    "Nissan' } ; DELETE WHERE { ?s ?p ?o } ; #",
    "Nissan\n} ; DROP ALL ; #",
    "<http://evil.example/>",
    "?s",
    "$x",
    "\\u0022 } ; DROP ALL",
    "Nissan%22%7D",
])
def test_ask_with_injection_strings_changes_nothing(seed_store, name):
    before = export(seed_store, "nq")
    for question in (f"who owns {name}?", f"siapa pemilik {name}?", f"what is {name} based on?"):
        result = run("ask", question, "--store", seed_store)
        if result.exit_code == 0:
            assert "→" not in result.stdout or name.startswith("Nissan")
        else:
            assert result.stdout == ""
            one_error_line(result)
    assert export(seed_store, "nq") == before


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAMES)
def test_ask_any_name_is_an_answer_or_one_line(seed_store, name):
    result = run("ask", f"who owns {name}?", "--store", seed_store)
    assert result.exit_code in (0, 1)
    if result.exit_code:
        one_error_line(result)


# --------------------------------------------------------------------- 5. bad input files at the CLI


def test_every_kind_of_bad_file_gets_its_own_message_and_the_rest_builds(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    text = "Renault Group holds a 10% stake in Nissan, the company said."
    bad = {
        "binary.txt": (b"PK\x03\x04\x14\x00\x00\x00\x08\x00binary\x00payload", "NUL"),
        "cp1252.txt": ("Renault Group holds a 10% stake in Nissan, caf\xe9.".encode("cp1252"), "not valid UTF-8 (byte 0xe9"),
        "utf16le.txt": (b"\xff\xfe" + text.encode("utf-16-le"), "UTF-16"),
        "utf16be.txt": (b"\xfe\xff" + text.encode("utf-16-be"), "UTF-16"),
        "empty.txt": (b"", "empty article"),
        "blank.md": (b" \n\t\r\n  \n", "empty article"),
        "scripts.html": (b"<html><script>var x = 1;</script><nav>Menu</nav></html>", "empty article"),
        "big.txt": (None, "over the 4096-byte cap"),
    }
    for name, (data, _words) in bad.items():
        if data is not None:
            (folder / name).write_bytes(data)
    with open(folder / "big.txt", "wb") as handle:
        handle.truncate(4097)  # sparse: all NUL if it were read
    (folder / "good.txt").write_text(text, encoding="utf-8")
    (folder / "page-saved-as.txt").write_text(
        f"<!DOCTYPE html><html><body><p>{text}</p><script>alert(1)</script></body></html>", encoding="utf-8")

    real_read_bytes = Path.read_bytes

    def read_bytes_spy(self):
        assert Path(self).name != "big.txt", "the oversized file was read before its size was checked"
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes_spy)
    store = tmp_path / "store"
    result = run("build", folder, "--store", store, "-q", "--max-bytes", 4096)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.output
    assert len(errors) == len(bad), errors
    for name, (_data, words) in bad.items():
        (line,) = [e for e in errors if str(folder / name) in e]
        assert line.startswith("error: KG100: ") and words in line, line
    assert result.stdout.startswith("2 documents, ") and f"{len(bad)} files failed" in result.stdout
    literals = [q.object.value for q in store_quads(store) if isinstance(q.object, ox.Literal)]
    assert text in literals  # the evidence sentence of both good files
    assert not any("<p>" in value or "alert" in value for value in literals)


# --------------------------------------------------------------------- 6. atomic writes


def _big_store(folder: Path, triples: int = 25_000) -> Path:
    store_dir = folder / "big-store"
    store = open_store(store_dir, write=True)
    graph = ox.NamedNode(DOC + "big")
    evidence = ox.NamedNode(ONTOLOGY + "evidenceText")
    store.bulk_extend(ox.Quad(ox.NamedNode(f"{ENTITY}e{i}"), evidence, ox.Literal(f"sentence {i} " + "x" * 600), graph)
                      for i in range(triples))
    store.flush()
    del store
    return store_dir


def _open_files(pid: int) -> list[str]:
    try:
        return [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
    except OSError:
        return []


@pytest.mark.slow
def test_export_killed_mid_way_leaves_old_file_or_new_never_partial(tmp_path):
    store_dir = _big_store(tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "graph.nt"
    old = b"<https://example.org/old> <https://example.org/p> \"old\" .\n"
    started = time.monotonic()
    assert _kg("export", "--format", "nt", "-o", target, "--store", store_dir).returncode == 0
    duration = time.monotonic() - started
    complete = target.read_bytes()
    assert len(complete) > 15_000_000 and complete.count(b"\n") == 25_000

    rng = random.Random(20240122)
    # random moments over the whole run, then moments inside the write itself
    delays = [rng.uniform(0.0, duration * 1.1) for _ in range(3)] + ["writing"] * 2
    seen = set()
    for delay in delays:
        target.write_bytes(old)
        proc = subprocess.Popen([sys.executable, "-c", "from kg.cli import main; main()", "export", "--format", "nt",
                                 "-o", str(target), "--store", str(store_dir)], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if delay == "writing":  # wait until the process holds an open file in the output folder
            deadline = time.monotonic() + 30
            while proc.poll() is None and time.monotonic() < deadline:
                if any(path.startswith(str(out_dir)) for path in _open_files(proc.pid)):
                    break
                time.sleep(0.001)
        else:
            time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        data = target.read_bytes()
        assert data in (old, complete), f"partial file of {len(data)} bytes after SIGKILL at {delay}"
        seen.add("old" if data == old else "new")
        assert sorted(p.name for p in out_dir.iterdir()) == ["graph.nt"], "temp file left behind"
    assert "old" in seen  # at least one kill landed before the rename


def test_next_write_removes_temp_files_of_dead_writers(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    target = tmp_path / "graph.ttl"
    stale = tmp_path / f".graph.ttl.{dead.pid}.tmp"
    live = tmp_path / f".graph.ttl.{os.getppid()}.tmp"  # a writer still running: left alone
    stale.write_bytes(b"half")
    live.write_bytes(b"busy")
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert not stale.exists() and live.exists()


def test_export_to_a_missing_folder_is_one_line(seed_store, tmp_path):
    target = tmp_path / "no" / "such" / "folder" / "graph.ttl"
    result = run("export", "-o", target, "--store", seed_store)
    assert result.exit_code == 1
    assert str(target) in one_error_line(result)


def _corpus(folder: Path, copies: int) -> Path:
    folder.mkdir()
    articles = sorted(SEEDS.glob("*.txt"))
    for n in range(copies):
        for article in articles:
            body = article.read_text(encoding="utf-8")
            (folder / f"{n:02d}-{article.name}").write_text(f"{body}\n\nCatatan redaksi nomor {n}.\n", encoding="utf-8")
    return folder


@pytest.mark.slow
def test_two_concurrent_builds_on_one_store(tmp_path):
    corpus = _corpus(tmp_path / "corpus", copies=8)
    reference = tmp_path / "reference"
    assert _kg("build", corpus, "--store", reference, "-q").returncode == 0
    expected = export(reference, "nq")

    store = tmp_path / "store"
    procs = [subprocess.Popen([sys.executable, "-c", "from kg.cli import main; main()", "build", str(corpus),
                               "--store", str(store), "-q"], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    # meanwhile, readers must get the graph or "store in use", never a crash
    reader_failures: list[str] = []

    def read_while_building():
        while any(p.poll() is None for p in procs):
            try:
                ox.parse(export(store, "nq"), format=ox.RdfFormat.N_QUADS)
            except KGError:
                pass
            except Exception as err:  # noqa: BLE001 - that is the failure being tested
                reader_failures.append(f"{type(err).__name__}: {err}")

    reader = threading.Thread(target=read_while_building)
    reader.start()
    outcomes = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    reader.join()
    assert reader_failures == []
    succeeded = [o for o in outcomes if o[2] == 0]
    assert succeeded, outcomes
    for out, err, code in outcomes:
        if code != 0:
            lines = [line for line in err.splitlines() if line.strip()]
            assert len(lines) == 1 and "store in use" in lines[0] and "KG201" in lines[0], err
    assert export(store, "nq") == expected  # consistent: exactly one build's worth


@pytest.mark.slow
def test_a_stream_of_readers_does_not_keep_a_writer_out(tmp_path):
    corpus = _corpus(tmp_path / "corpus", copies=1)
    store = tmp_path / "store"
    assert _kg("build", corpus, "--store", store, "-q").returncode == 0
    stop = threading.Event()

    def read_without_pause():  # each read takes the readers' lock anew, back to back
        while not stop.is_set():
            try:
                export(store, "nq")
            except KGError:
                pass

    readers = [threading.Thread(target=read_without_pause) for _ in range(2)]
    for reader in readers:
        reader.start()
    try:
        rebuild = _kg("build", corpus, "--store", store, "-q")
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert rebuild.returncode == 0, rebuild.stderr  # the writer got in, within the lock wait


HOLD_WRITE_LOCK = r"""
import sys, time
from kg.store import open_store
store = open_store(sys.argv[1], write=True)
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
"""


@pytest.mark.slow
def test_readers_wait_for_a_writer_or_say_store_in_use(seed_store, tmp_path, monkeypatch):
    """RocksDB lets a reader open files a writer is compacting (undefined behaviour:
    missing files, a 2 GB allocation): kg's lock makes the reader wait instead."""
    import kg.store

    store = tmp_path / "store"
    shutil.copytree(seed_store, store)
    expected = run("stats", "--store", store, "--format", "json").stdout

    def hold(seconds: float) -> subprocess.Popen:
        writer = subprocess.Popen([sys.executable, "-c", HOLD_WRITE_LOCK, str(store), str(seconds)], cwd=ROOT,
                                  stdout=subprocess.PIPE, text=True)
        assert writer.stdout.readline().strip() == "locked"
        return writer

    writer = hold(3.0)
    monkeypatch.setattr(kg.store, "LOCK_WAIT", 0.3)
    for args in (["stats"], ["export"], ["ask", "who owns Nissan?"]):
        busy = run(*args, "--store", store)
        assert busy.exit_code == 1
        assert "KG201" in one_error_line(busy) and "store in use" in busy.stderr
    assert run("build", SEEDS, "--store", store, "-q").exit_code == 1  # a second writer too
    with pytest.raises(StoreInUse):  # the lock code that opens the store itself takes
        with kg.store.locked(store):
            pass
    with kg.store.locked(tmp_path):  # a folder without the kg marker is not locked
        pass
    monkeypatch.setattr(kg.store, "LOCK_WAIT", 10.0)
    waited = run("stats", "--store", store, "--format", "json")
    assert writer.wait(timeout=10) == 0
    assert waited.exit_code == 0 and waited.stdout == expected


# --------------------------------------------------------------------- 8. offline


OFFLINE_RUNNER = r"""
import json, socket, sys
blocked = []
active = False

def hook(event, args):
    if not active:
        return
    if event in ("socket.connect", "socket.connect_ex", "socket.sendto", "socket.sendmsg"):
        if args[0].family not in (socket.AF_INET, socket.AF_INET6):
            return  # local pipes between processes are fine
    elif not event.startswith(("socket.getaddrinfo", "socket.gethostby", "socket.getnameinfo",
                               "urllib.Request", "http.client.", "ftplib.", "smtplib.", "webbrowser.")):
        return
    blocked.append(event)
    raise OSError(f"network blocked by the test ({event})")

sys.addaudithook(hook)
active = True
for probe in (lambda: socket.getaddrinfo("example.org", 443),
              lambda: socket.socket().connect(("192.0.2.1", 9))):
    try:
        probe()
    except OSError as err:
        assert "network blocked" in str(err), err
    else:
        raise SystemExit("the audit hook is not active")
blocked.clear()

import click
from kg.cli import main
results = []
for argv in json.loads(sys.argv[1]):
    try:
        main(argv, standalone_mode=False)
        results.append([argv[0], 0, ""])
    except click.ClickException as err:
        results.append([argv[0], 1, err.format_message()])
    except SystemExit as err:
        results.append([argv[0], err.code, ""])
from rdflib import Graph
Graph().parse(data=open(sys.argv[2], encoding="utf-8").read(), format="json-ld")
print(json.dumps({"results": results, "blocked": blocked}))
"""


@pytest.mark.slow
def test_everything_works_with_the_network_blocked(tmp_path):
    store = tmp_path / "store"
    relative = tmp_path / "relative.ttl"
    relative.write_text("<a> <b> <c> .\n", encoding="utf-8")
    inline = tmp_path / "inline.jsonld"
    inline.write_text(json.dumps({"@context": {"name": "https://schema.org/name"}, "@id": "https://example.org/x",
                                  "name": "X"}), encoding="utf-8")
    remote = tmp_path / "remote.jsonld"
    remote.write_text(json.dumps({"@context": "https://schema.org/", "@id": "https://example.org/y", "name": "Y"}),
                      encoding="utf-8")
    commands = [
        ["build", str(SEEDS), "--store", str(store), "-q"],
        ["import", str(relative), "--store", str(store)],
        ["import", str(inline), "--store", str(store)],
        ["import", str(remote), "--store", str(store)],
        *[["export", "--format", fmt, "-o", str(tmp_path / f"graph.{fmt}"), "--store", str(store)]
          for fmt in ("turtle", "nt", "jsonld", "trig", "nq")],
        ["sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--store", str(store)],
        ["sparql", "SELECT * WHERE { SERVICE <https://example.org/sparql> { ?s ?p ?o } }", "--store", str(store)],
        ["ask", "who owns Nissan?", "--store", str(store)],
        ["stats", "--store", str(store)],
    ]
    proc = subprocess.run([sys.executable, "-c", OFFLINE_RUNNER, json.dumps(commands), str(tmp_path / "graph.jsonld")],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["blocked"] == []  # nothing even tried to reach the network
    outcomes = {i: (code, message) for i, (_name, code, message) in enumerate(report["results"])}
    refused = {3: "context", 10: "SERVICE"}
    for index, (code, message) in outcomes.items():
        if index in refused:
            assert code == 1 and refused[index] in message, (commands[index], message)
        else:
            assert code == 0, (commands[index], message)
    assert "→ Renault Group" in proc.stdout
    for fmt in ("turtle", "nt", "jsonld", "trig", "nq"):
        assert (tmp_path / f"graph.{fmt}").stat().st_size > 0
