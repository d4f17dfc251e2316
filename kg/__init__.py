"""kg: turn industry news into a queryable RDF knowledge graph.

The pipeline runs ingest -> extract -> link -> graph -> store -> query/ask -> export;
each stage is a module of this package with a plain typed function at its heart.
"""

__version__ = "0.1.0"
