"""Ingest: files and folders -> :class:`~kg.model.Document` records.

Accepts ``.txt`` (with an optional ``key: value`` header block ended by a blank
line, as in the devset), ``.md``, ``.html``/``.htm`` and ``.jsonl`` (one article per
line with ``text`` and optional ``title``/``url``/``published``/``language``).
Every problem with one file becomes an :class:`~kg.errors.InputError` naming it, so
the caller can report it and carry on with the rest of the batch.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .errors import InputError
from .lang import detect_language
from .model import Document

SUFFIXES = {".txt", ".md", ".html", ".htm", ".jsonl"}
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
HEADER_KEYS = {"url", "title", "language", "published", "date", "source", "lang"}
_HEADER_LINE = re.compile(r"^([A-Za-z_]+):\s*(.*)$")
_LANG_NAMES = {"indonesian": "id", "bahasa indonesia": "id", "english": "en", "id": "id", "en": "en"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Problem:
    """A file that could not be ingested, with the one-line reason."""

    source: str
    error: InputError


def iter_paths(paths: list[str | Path]) -> Iterator[Path]:
    """Expand folders (recursively, sorted) into the files kg can read."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUFFIXES and not child.name.startswith("."):
                    yield child
        else:
            yield path


def normalise(text: str) -> str:
    """NFC, no BOM, LF line ends, no trailing spaces at the end of the text."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text).strip()


def read_documents(paths: list[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Document | Problem]:
    """Yield a Document for every readable article and a Problem for every bad file."""
    for path in iter_paths(paths):
        try:
            yield from _read_file(path, max_bytes)
        except InputError as err:
            yield Problem(str(path), err)


def _read_file(path: Path, max_bytes: int) -> Iterator[Document]:
    name = str(path)
    if not path.exists():
        raise InputError(f"{name}: no such file or folder; check the path")
    if not path.is_file():
        raise InputError(f"{name}: not a regular file; give an article file or a folder")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(f"{name}: {size} bytes is over the {max_bytes}-byte cap; split it or raise --max-bytes")
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(f"{name}: cannot be read ({err.strerror}); check its permissions") from None
    # line ends and BOM are normalised before the header is read, so a CRLF or BOM
    # copy of an article is the same document
    text = _decode(name, raw).lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _jsonl_documents(name, text)
        return
    if suffix in {".html", ".htm"} or (suffix != ".md" and _looks_like_html(text)):
        body, title = html_to_text(text)
        yield _make_document(name, body, {"title": title} if title else {})
        return
    header, body = split_header(text)
    yield _make_document(name, body, header)


def _decode(name: str, raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name}: UTF-16 text is not supported; save it as UTF-8")
    if b"\x00" in raw[:8192]:
        raise InputError(f"{name}: binary file (contains NUL bytes); give a text, Markdown, HTML or JSONL article")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{name}: not valid UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start}); re-save it as UTF-8"
        ) from None


def split_header(text: str) -> tuple[dict[str, str], str]:
    """Split an optional ``key: value`` header block (ended by a blank line).

    >>> split_header("title: Hi\\nlanguage: English\\n\\nBody.")
    ({'title': 'Hi', 'language': 'English'}, 'Body.')
    >>> split_header("Body: not a header because no blank line follows")[0]
    {}
    """
    head, sep, rest = text.partition("\n\n")
    if not sep:
        return {}, text
    header: dict[str, str] = {}
    for line in head.split("\n"):
        match = _HEADER_LINE.match(line.strip())
        if not match or match.group(1).lower() not in HEADER_KEYS:
            return {}, text
        header[match.group(1).lower()] = match.group(2).strip()
    return header, rest


def _make_document(source: str, body: str, header: dict[str, str]) -> Document:
    text = normalise(body)
    if not text:
        raise InputError(f"{source}: empty article (no text after the header); remove it or add text")
    declared = header.get("language", header.get("lang", "")).strip().lower()
    lang = _LANG_NAMES.get(declared) or (declared if re.fullmatch(r"[a-z]{2}", declared) else detect_language(text))
    published = header.get("published") or header.get("date")
    return Document(
        source=source,
        text=text,
        lang=lang,
        key=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        title=header.get("title") or None,
        url=header.get("url") or header.get("source") or None,
        published=published if published and _DATE.match(published) else None,
    )


def _jsonl_documents(name: str, text: str) -> Iterator[Document]:
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"{name}:{number}: not a JSON object ({err.msg}); one article per line") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InputError(f'{name}:{number}: each line needs a "text" string field')
        header = {k: str(v) for k, v in record.items() if k in HEADER_KEYS and v is not None}
        for value in (record["text"], *header.values()):
            # a JSON escape like "\ud800" decodes to a lone surrogate: not Unicode
            # text, so it could be neither hashed nor written as an RDF literal
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as err:
                bad = f"U+{ord(value[err.start]):04X}"
                raise InputError(f"{name}:{number}: {bad} is a lone surrogate escape, not text; fix the JSON") from None
        yield _make_document(f"{name}#{number}", record["text"], header)


def _looks_like_html(text: str) -> bool:
    head = text[:512].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)


class _TextExtractor(HTMLParser):
    """Visible text of a page: block elements become paragraph breaks."""

    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote"}
    SKIP = {"script", "style", "noscript", "template", "svg", "nav", "footer", "header", "aside"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip:
            self._skip -= 1
        elif tag == "title":
            self._in_title = False
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self._in_title:
            self.title.append(data)
        elif not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> tuple[str, str | None]:
    """Visible paragraphs and the <title> of an HTML page.

    >>> html_to_text("<html><title>T</title><body><p>A  b.</p><script>x()</script><p>C.</p></body></html>")
    ('A b.\\n\\nC.', 'T')
    """
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    paragraphs = (" ".join(chunk.split()) for chunk in "".join(parser.parts).split("\n\n"))
    title = " ".join("".join(parser.title).split()) or None
    return "\n\n".join(p for p in paragraphs if p), title
