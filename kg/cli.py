"""The `kg` command: a thin click shell over the library functions.

Heavy modules (extraction, SHACL, rdflib) are imported inside the commands that need
them, so query commands start fast.
"""

from __future__ import annotations

import json
import sys

import click

from .errors import KGError
from .store import DEFAULT_STORE

store_option = click.option(
    "--store", "store_dir", default=DEFAULT_STORE, show_default=True, type=click.Path(file_okay=False),
    help="Folder of the embedded store.",
)


class _Group(click.Group):
    """Turns every KGError into one line on stderr and exit code 1 (no traceback)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KGError as err:
            raise click.ClickException(str(err)) from None


@click.group(cls=_Group)
@click.version_option(package_name="kg")
def main() -> None:
    """Build a knowledge graph from industry news and query it."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@store_option
@click.option("--max-bytes", default=20 * 1024 * 1024, show_default=True, help="Refuse input files larger than this.")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
def build(paths, store_dir, max_bytes, quiet):
    """Ingest files/folders, extract facts and write them to the store (one named graph per document)."""
    from .pipeline import build as run_build

    progress = None if quiet else (lambda source: click.echo(f"built {source}", err=True))
    report = run_build(list(paths), store_dir, max_bytes=max_bytes, progress=progress)
    for problem in report.problems:
        click.echo(f"error: {problem.error}", err=True)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"{report.documents} documents, {report.facts} facts -> {store_dir}"
               + (f"; {len(report.problems)} files failed" if report.problems else ""))
    if report.problems:
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True)
def extract(paths, fmt):
    """Print the facts found in the given articles (JSONL contract or a table)."""
    from .pipeline import Extraction, extract_paths, language_warning

    failed = False
    for item in extract_paths(list(paths)):
        if not isinstance(item, Extraction):
            click.echo(f"error: {item.error}", err=True)
            failed = True
            continue
        warning = language_warning(item.document)
        if warning:
            click.echo(f"warning: {warning}", err=True)
        for fact in item.facts:
            if fmt == "jsonl":
                click.echo(json.dumps(fact.to_json(), ensure_ascii=False))
            else:
                qualifiers = " ".join(filter(None, [
                    f"{fact.percent:g}%" if fact.percent is not None else "",
                    fact.date or "", "hedged" if fact.hedged else ""]))
                click.echo(f"{fact.subject.label}\t{fact.predicate}\t{fact.object.label}\t{qualifiers}\t{fact.rule}")
    if failed:
        sys.exit(1)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["turtle", "nt", "jsonld", "trig", "nq"]), default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (atomically) instead of stdout.")
@store_option
def export(fmt, output, store_dir):
    """Export the graph as Turtle, N-Triples, JSON-LD, TriG or N-Quads (sorted, byte-stable)."""
    from .pipeline import export as run_export

    payload = run_export(store_dir, fmt, output)
    if output is None:
        sys.stdout.buffer.write(payload)


@main.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["turtle", "nt", "jsonld", "trig", "nq"]), help="Override the format guessed from the extension.")
@store_option
def import_(file, fmt, store_dir):
    """Load an RDF file (Turtle, N-Triples, TriG, N-Quads, JSON-LD) into the store."""
    from .pipeline import import_rdf

    count = import_rdf(file, store_dir, fmt)
    click.echo(f"imported {count} quads from {file}")


@main.command()
@click.argument("query", required=False)
@click.option("--file", "query_file", type=click.File("r", encoding="utf-8"), help="Read the query from a file.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--timeout", default=30.0, show_default=True, help="Seconds before the query is stopped.")
@click.option("--max-rows", default=10000, show_default=True, help="Row cap; the output says when it was hit.")
@click.option("--allow-update", is_flag=True, help="Allow SPARQL Update (the default is read-only).")
@store_option
def sparql(query, query_file, fmt, timeout, max_rows, allow_update, store_dir):
    """Run a SPARQL query over all documents' graphs (read-only, sandboxed)."""
    from .sparql import format_result, run_query

    if bool(query) == bool(query_file):
        raise click.UsageError("give either a QUERY argument or --file F.rq")
    text = query if query else query_file.read()
    result = run_query(store_dir, text, timeout=timeout, max_rows=max_rows, allow_update=allow_update)
    click.echo(format_result(result, fmt))
    if result.truncated:
        click.echo(f"warning: result truncated at {max_rows} rows; raise --max-rows to see more", err=True)


@main.command()
@click.argument("question")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@store_option
def ask(question, fmt, store_dir):
    """Answer a question in English or Indonesian, with the evidence for every step."""
    from .ask import ask as run_ask, format_response

    response = run_ask(question, store_dir)
    if fmt == "json":
        click.echo(json.dumps(response.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_response(response))


@main.command("eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--corpus", "corpus_dir", type=click.Path(exists=True, file_okay=False),
              help="Folder of the articles (default: beside the gold files, or ../corpus).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
def evaluate(gold_dir, corpus_dir, fmt):
    """Score extraction against gold facts: P/R/F1 per relation and language, misses and false positives."""
    from .pipeline import evaluate_folder

    click.echo(evaluate_folder(gold_dir, corpus_dir, fmt))


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def stats(store_dir, fmt):
    """Counts of documents, entities by class and facts by relation."""
    from .pipeline import stats as run_stats

    numbers = run_stats(store_dir)
    if fmt == "json":
        click.echo(json.dumps(numbers, indent=2))
        return
    click.echo(f"documents: {numbers['documents']}")
    click.echo("entities:")
    for name, count in numbers["entities"].items():
        click.echo(f"  {name:16} {count}")
    click.echo("facts:")
    for name, count in numbers["facts"].items():
        click.echo(f"  {name:16} {count}")
