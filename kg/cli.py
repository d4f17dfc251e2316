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


def _parse_params(pairs) -> dict[str, str]:
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip().lstrip("?$")
        if not sep or not key.isidentifier():
            from .errors import QueryError

            raise QueryError(f"--param {pair!r}: write it as key=value, e.g. --param held=Nissan")
        params[key] = value
    return params


@main.command()
@click.argument("query", required=False)
@click.option("--file", "query_file", type=click.File("r", encoding="utf-8"), help="Read the query from a file.")
@click.option("--name", "query_name", help="Run a query of the shipped library (see --list).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="Bind a variable of a --name query: an IRI (<...>, kgr:x), an entity name, or a literal (\"text\", 42).")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries with what they answer and their parameters.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--timeout", default=30.0, show_default=True, help="Seconds before the query is stopped.")
@click.option("--max-rows", default=10000, show_default=True, help="Row cap; the output says when it was hit.")
@click.option("--allow-update", is_flag=True, help="Allow SPARQL Update (the default is read-only).")
@store_option
def sparql(query, query_file, query_name, params, list_queries, fmt, timeout, max_rows, allow_update, store_dir):
    """Run a SPARQL query over all documents' graphs (read-only, sandboxed), or a named one."""
    if list_queries:
        from .ask import named_queries

        queries = named_queries()
        if fmt == "json":
            click.echo(json.dumps([{"name": q.name, "description": q.description, "params": q.params}
                                   for q in queries.values()], ensure_ascii=False, indent=2))
        else:
            for q in queries.values():
                params_text = ", ".join(f"{k} ({v})" for k, v in q.params.items()) or "none"
                click.echo(f"{q.name}\n    {q.description}\n    params: {params_text}")
        return
    from .sparql import format_result, run_query

    if sum(map(bool, (query, query_file, query_name))) != 1:
        raise click.UsageError("give exactly one of a QUERY argument, --file F.rq or --name NAME (see --list)")
    if params and not query_name:
        raise click.UsageError("--param binds variables of a named query; use it with --name")
    substitutions = None
    if query_name:
        from .ask import Graph, named_query, param_term
        from .errors import QueryError
        from .store import open_store

        named = named_query(query_name)
        bound = _parse_params(params)
        unknown = [key for key in bound if key not in named.params]
        if unknown:
            takes = ", ".join(named.params) or "no parameters"
            raise QueryError(f"query {query_name!r} has no parameter {unknown[0]!r}; it takes: {takes}")
        notes: list[str] = []
        if bound:
            graph = Graph(open_store(store_dir))
            substitutions = {key: param_term(value, graph, notes) for key, value in bound.items()}
            graph.store.close()
            notes += graph.notes
        for note in notes:
            click.echo(f"note: {note}", err=True)
        text = named.text
    else:
        text = query if query else query_file.read()
    result = run_query(store_dir, text, timeout=timeout, max_rows=max_rows, allow_update=allow_update,
                       substitutions=substitutions)
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


report_format = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
threshold_option = click.option("--threshold", default=20.0, show_default=True, metavar="PERCENT",
                                help="Share of the votes that makes an ultimate owner (La Porta et al.: 20 or 10).")


def _print_report(kind: str, report: dict, fmt: str) -> None:
    from .report import format_report

    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(kind, report))


@main.command()
@click.argument("entity")
@threshold_option
@report_format
@store_option
def owners(entity, threshold, fmt, store_dir):
    """Who holds ENTITY: direct and integrated percentages, and who controls it."""
    from .report import owners as run_owners

    _print_report("owners", run_owners(entity, store_dir, threshold), fmt)


@main.command()
@click.argument("entity")
@report_format
@store_option
def holdings(entity, fmt, store_dir):
    """What ENTITY holds, directly and through the companies it holds."""
    from .report import holdings as run_holdings

    _print_report("holdings", run_holdings(entity, store_dir), fmt)


@main.command()
@click.argument("entity")
@threshold_option
@report_format
@store_option
def control(entity, threshold, fmt, store_dir):
    """Who controls ENTITY (majority, ultimate owner, parent companies) and what it controls."""
    from .report import control as run_control

    _print_report("control", run_control(entity, store_dir, threshold), fmt)


@main.command()
@click.argument("a")
@click.argument("b")
@click.option("--via", "relations", multiple=True, metavar="RELATION",
              help="Walk only these relations (repeatable), e.g. --via ownsStake.")
@click.option("--through", multiple=True, metavar="ENTITY", help="Entities the path must pass, in order (repeatable).")
@click.option("--limit", default=5, show_default=True, help="How many shortest paths to show.")
@report_format
@store_option
def path(a, b, relations, through, limit, fmt, store_dir):
    """The shortest connections between entities A and B, each edge with its evidence."""
    from .report import path as run_path

    _print_report("path", run_path(a, b, store_dir, relations or None, through, limit), fmt)


@main.command()
@click.argument("entity")
@report_format
@store_option
def lineage(entity, fmt, store_dir):
    """Models derived from ENTITY (rebadges, models based on it) and what it derives from."""
    from .report import lineage as run_lineage

    _print_report("lineage", run_lineage(entity, store_dir), fmt)


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
