"""One error hierarchy. Every message names the bad value and the next step.

The CLI prints ``str(error)`` on one line and exits non-zero; no traceback is shown
for anything that derives from :class:`KGError`.
"""

from __future__ import annotations


class KGError(Exception):
    """Base of every error kg raises on purpose."""

    code = "KG000"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class InputError(KGError):
    """An input file cannot be ingested (binary, empty, undecodable, too big...)."""

    code = "KG100"


class StoreError(KGError):
    """The store cannot be opened, is locked by another writer, or is damaged."""

    code = "KG200"


class StoreInUse(StoreError):
    code = "KG201"


class ImportRDFError(KGError):
    """An RDF file given to ``kg import`` cannot be parsed; the store is unchanged."""

    code = "KG300"


class QueryError(KGError):
    """A SPARQL query is malformed, refused, or ran out of time or rows."""

    code = "KG400"


class QuestionError(KGError):
    """``kg ask`` did not understand the question or could not resolve a name."""

    code = "KG500"


class UnknownEntity(QuestionError):
    code = "KG501"


class AnalyticsError(KGError):
    """An analytics computation has no answer (e.g. a singular ownership system)."""

    code = "KG600"


class EvalError(KGError):
    """Gold files for ``kg eval`` are missing or malformed."""

    code = "KG700"
