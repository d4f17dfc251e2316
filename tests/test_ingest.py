"""Ingest: real files of every supported kind, and every way a file can be bad.

Each bad file must become a Problem whose message names the file, while the good
files of the same batch still become Documents.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import (
    DEFAULT_MAX_BYTES,
    Problem,
    html_to_text,
    normalise,
    read_documents,
    split_header,
)
from kg.model import Document

ID_TEXT = (
    "Toyota akan memproduksi mobil listrik baru di pabrik Karawang mulai tahun depan. "
    "Perusahaan itu juga menyatakan bahwa mobil tersebut akan dijual di seluruh Indonesia."
)
EN_TEXT = (
    "Toyota said it would build the new electric car at its plant in Kentucky from next year. "
    "The company also said that the car will be sold across the United States."
)


def _docs(items) -> list[Document]:
    return [item for item in items if isinstance(item, Document)]


def _problems(items) -> list[Problem]:
    return [item for item in items if isinstance(item, Problem)]


def _one_doc(path: Path, **kwargs) -> Document:
    items = list(read_documents([path], **kwargs))
    assert len(items) == 1, items
    assert isinstance(items[0], Document), items[0]
    return items[0]


# --------------------------------------------------------------------- header block


def test_split_header_reads_known_keys_and_strips_block():
    header, body = split_header("title: Judul Berita\nurl: https://example.com/a\npublished: 2024-01-22\n\nIsi berita.")
    assert header == {"title": "Judul Berita", "url": "https://example.com/a", "published": "2024-01-22"}
    assert body == "Isi berita."


def test_split_header_ignores_first_paragraph_with_unknown_key():
    text = "Catatan: ini bukan header.\n\nIsi berita."
    assert split_header(text) == ({}, text)


def test_split_header_needs_a_blank_line():
    text = "title: only one paragraph"
    assert split_header(text) == ({}, text)


def test_txt_header_fills_document_fields(tmp_path):
    path = tmp_path / "berita.txt"
    path.write_text(
        "title: Toyota bangun pabrik\nsource: https://example.com/toyota\npublished: 2024-01-22\n"
        "language: English\n\n" + ID_TEXT + "\n",
        encoding="utf-8",
    )
    doc = _one_doc(path)
    assert doc.title == "Toyota bangun pabrik"
    assert doc.url == "https://example.com/toyota"
    assert doc.published == "2024-01-22"
    assert doc.lang == "en"  # a declared language wins over detection
    assert doc.text == ID_TEXT  # header removed, trailing newline stripped
    assert doc.source == str(path)
    assert doc.name == "berita.txt"


def test_header_published_must_be_iso_date(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("title: T\npublished: kemarin\n\n" + ID_TEXT, encoding="utf-8")
    doc = _one_doc(path)
    assert doc.title == "T"
    assert doc.published is None


def test_document_key_is_sha256_of_text(tmp_path):
    import hashlib

    path = tmp_path / "a.txt"
    path.write_text(ID_TEXT, encoding="utf-8")
    doc = _one_doc(path)
    assert doc.key == hashlib.sha256(doc.text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------- formats


def test_markdown_is_read_as_text_not_html(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("# Judul\n\n<html> bukan halaman, hanya teks.\n\n" + ID_TEXT + "\n", encoding="utf-8")
    doc = _one_doc(path)
    assert doc.text == "# Judul\n\n<html> bukan halaman, hanya teks.\n\n" + ID_TEXT
    assert doc.lang == "id"


HTML_PAGE = """<!DOCTYPE html>
<html>
<head>
  <title>  Toyota   &amp; Karawang </title>
  <style>body { color: red; } .secret-style {}</style>
  <script>var secretScript = "diproduksi oleh Hacker";</script>
</head>
<body>
  <nav>Menu Beranda Otomotif</nav>
  <h1>Berita hari ini</h1>
  <p>Toyota akan   memproduksi mobil listrik baru
     di pabrik Karawang &amp; Cikampek.</p>
  <div>Perusahaan itu juga menyatakan bahwa mobil tersebut akan dijual di seluruh Indonesia.</div>
  <script>console.log("secretScript2")</script>
  <footer>Hak cipta dilindungi</footer>
</body>
</html>
"""


@pytest.mark.parametrize("name", ["page.html", "page.htm", "page.txt"])
def test_html_drops_script_style_and_reads_title(tmp_path, name):
    path = tmp_path / name
    path.write_text(HTML_PAGE, encoding="utf-8")
    doc = _one_doc(path)
    assert doc.title == "Toyota & Karawang"
    assert doc.text == (
        "Berita hari ini\n\n"
        "Toyota akan memproduksi mobil listrik baru di pabrik Karawang & Cikampek.\n\n"
        "Perusahaan itu juga menyatakan bahwa mobil tersebut akan dijual di seluruh Indonesia."
    )
    for hidden in ("secret", "color: red", "Menu Beranda", "Hak cipta", "<p>", "console"):
        assert hidden not in doc.text
    assert doc.lang == "id"


def test_html_to_text_without_title():
    body, title = html_to_text("<html><body><p>Satu.</p><p>Dua.</p></body></html>")
    assert (body, title) == ("Satu.\n\nDua.", None)


def test_jsonl_one_document_per_line(tmp_path):
    path = tmp_path / "news.jsonl"
    lines = [
        json.dumps({"text": ID_TEXT, "title": "Satu", "url": "https://example.com/1", "published": "2024-02-01"}),
        "",  # blank lines are skipped but still counted
        json.dumps({"text": EN_TEXT, "language": "en", "extra": "ignored"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs = list(read_documents([path]))
    assert all(isinstance(d, Document) for d in docs), docs
    assert [d.source for d in docs] == [f"{path}#1", f"{path}#3"]
    first, second = docs
    assert (first.text, first.title, first.url, first.published, first.lang) == (
        ID_TEXT, "Satu", "https://example.com/1", "2024-02-01", "id")
    assert (second.text, second.title, second.lang) == (EN_TEXT, None, "en")
    assert first.key != second.key


@pytest.mark.parametrize(
    "bad_line",
    ['{"text": "unterminated', '["a list", "not an object"]', '{"title": "no text field"}', '{"text": 42}'],
)
def test_jsonl_bad_line_names_file_and_line(tmp_path, bad_line):
    path = tmp_path / "news.jsonl"
    path.write_text(json.dumps({"text": ID_TEXT}) + "\n\n" + bad_line + "\n", encoding="utf-8")
    items = list(read_documents([path]))
    assert isinstance(items[0], Document)
    assert items[0].text == ID_TEXT
    problems = _problems(items)
    assert len(problems) == 1
    assert isinstance(problems[0].error, InputError)
    assert f"{path}:3" in str(problems[0].error)


# --------------------------------------------------------------------- bad files


def _write_bad(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"bad-{kind}.txt"
    if kind == "missing":
        return path
    data = {
        "binary": b"PK\x03\x04\x00\x00\x00\x08\x00binary\x00payload",
        "cp1252": "Sebuah caf\xe9 di Jakarta dibuka oleh Toyota.".encode("cp1252"),
        "utf16": ("\ufeff" + ID_TEXT).encode("utf-16-le"),
        "utf16be": ID_TEXT.encode("utf-16"),  # Python writes a BOM in native order
        "empty": b"",
        "whitespace": b"  \n\t\r\n   \n",
        "header-only": b"title: Judul saja\nurl: https://example.com/x\n\n   \n",
    }[kind]
    path.write_bytes(data)
    return path


BAD_KINDS = ["missing", "binary", "cp1252", "utf16", "utf16be", "empty", "whitespace", "header-only"]


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_bad_file_is_a_problem_and_batch_goes_on(tmp_path, kind):
    bad = _write_bad(tmp_path, kind)
    good = tmp_path / "good.txt"
    good.write_text(ID_TEXT, encoding="utf-8")
    items = list(read_documents([bad, good]))
    problems, docs = _problems(items), _docs(items)
    assert len(problems) == 1, items
    assert problems[0].source == str(bad)
    assert isinstance(problems[0].error, InputError)
    message = str(problems[0].error)
    assert str(bad) in message
    assert "\n" not in message
    assert message.startswith(InputError.code)
    assert [d.source for d in docs] == [str(good)]
    assert docs[0].text == ID_TEXT


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("missing", "no such file"),
        ("binary", "NUL"),
        ("cp1252", "0xe9"),
        ("utf16", "UTF-16"),
        ("utf16be", "UTF-16"),
        ("empty", "empty"),
        ("whitespace", "empty"),
        ("header-only", "empty"),
    ],
)
def test_bad_file_message_says_what_is_wrong(tmp_path, kind, words):
    bad = _write_bad(tmp_path, kind)
    (problem,) = list(read_documents([bad]))
    assert isinstance(problem, Problem)
    assert words in str(problem.error)


def test_bad_files_in_a_folder_do_not_stop_the_folder(tmp_path):
    for kind in BAD_KINDS[1:]:
        _write_bad(tmp_path, kind)
    (tmp_path / "b-good.txt").write_text(ID_TEXT, encoding="utf-8")
    (tmp_path / "z-good.md").write_text(EN_TEXT, encoding="utf-8")
    (tmp_path / "ignored.json").write_text("{}", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_bytes(b"\x00\x00")
    items = list(read_documents([tmp_path]))
    assert sorted(p.source for p in _problems(items)) == sorted(str(tmp_path / f"bad-{k}.txt") for k in BAD_KINDS[1:])
    assert [d.name for d in _docs(items)] == ["b-good.txt", "z-good.md"]


def test_directory_given_as_file_inside_batch(tmp_path):
    odd = tmp_path / "folder.txt"
    odd.mkdir()
    good = tmp_path / "good.txt"
    good.write_text(ID_TEXT, encoding="utf-8")
    # a folder is expanded (to nothing here), never read as a file
    items = list(read_documents([odd, good]))
    assert [d.source for d in _docs(items)] == [str(good)]


def test_file_over_max_bytes_is_refused_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:
        handle.truncate(DEFAULT_MAX_BYTES + 1)  # sparse: no disk used, all NUL if read
    good = tmp_path / "good.txt"
    good.write_text(ID_TEXT, encoding="utf-8")

    real_read_bytes = Path.read_bytes

    def read_bytes_spy(self):
        assert Path(self) != big, "the oversized file was read before its size was checked"
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes_spy)
    items = list(read_documents([big, good]))
    problems = _problems(items)
    assert len(problems) == 1 and problems[0].source == str(big)
    message = str(problems[0].error)
    assert str(big) in message
    assert str(DEFAULT_MAX_BYTES + 1) in message and str(DEFAULT_MAX_BYTES) in message
    assert "NUL" not in message  # the size check came first, not the content check
    assert [d.source for d in _docs(items)] == [str(good)]


def test_max_bytes_is_configurable(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ID_TEXT, encoding="utf-8")
    size = path.stat().st_size
    assert isinstance(_one_doc(path, max_bytes=size), Document)
    (problem,) = list(read_documents([path], max_bytes=size - 1))
    assert isinstance(problem, Problem) and str(path) in str(problem.error)


# --------------------------------------------------------------------- normalisation


BODY = ID_TEXT + "\n\nParagraf kedua: Toyota bekerja sama dengan Daihatsu.\n"
VARIANTS = {
    "lf": BODY.encode("utf-8"),
    "crlf": BODY.replace("\n", "\r\n").encode("utf-8"),
    "cr": BODY.replace("\n", "\r").encode("utf-8"),
    "bom": b"\xef\xbb\xbf" + BODY.encode("utf-8"),
    "bom-crlf": b"\xef\xbb\xbf" + BODY.replace("\n", "\r\n").encode("utf-8"),
    "trailing-space": (BODY + "   \n\n").encode("utf-8"),
}


def test_crlf_and_bom_variants_give_the_same_key(tmp_path):
    keys = {}
    for name, data in VARIANTS.items():
        path = tmp_path / f"{name}.txt"
        path.write_bytes(data)
        doc = _one_doc(path)
        assert "\r" not in doc.text and "\ufeff" not in doc.text
        keys[name] = (doc.key, doc.text)
    assert len(set(keys.values())) == 1, keys


def test_nfd_and_nfc_give_the_same_key(tmp_path):
    import unicodedata

    text = "Citroën dan Škoda menjual mobil di Indonesia pada tahun ini bersama mitra lokal."
    (tmp_path / "nfc.txt").write_text(unicodedata.normalize("NFC", text), encoding="utf-8")
    (tmp_path / "nfd.txt").write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    assert _one_doc(tmp_path / "nfc.txt").key == _one_doc(tmp_path / "nfd.txt").key


HEADER = "title: Toyota bangun pabrik\nlanguage: Indonesian\n\n"


@pytest.mark.parametrize("variant", ["crlf", "bom", "cr"])
def test_crlf_and_bom_variants_with_header_give_the_same_document(tmp_path, variant):
    lf = tmp_path / "lf.txt"
    lf.write_bytes((HEADER + BODY).encode("utf-8"))
    data = {
        "crlf": (HEADER + BODY).replace("\n", "\r\n").encode("utf-8"),
        "cr": (HEADER + BODY).replace("\n", "\r").encode("utf-8"),
        "bom": b"\xef\xbb\xbf" + (HEADER + BODY).encode("utf-8"),
    }[variant]
    other = tmp_path / f"{variant}.txt"
    other.write_bytes(data)
    expected, got = _one_doc(lf), _one_doc(other)
    assert expected.title == "Toyota bangun pabrik"
    assert got.title == expected.title
    assert got.key == expected.key


def test_normalise():
    assert normalise("\ufeff  a\r\nb\rc \n\n") == "a\nb\nc"


# --------------------------------------------------------------------- language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (ID_TEXT, "id"),
        (EN_TEXT, "en"),
        ("Mobil ini dirakit di pabrik Cikarang dan sudah dipesan oleh ribuan konsumen sejak bulan lalu.", "id"),
        ("The car is assembled at the Cikarang plant and has been ordered by thousands of buyers since last month.", "en"),
        ("12345 67890 !!!", "und"),
    ],
)
def test_language_is_detected_from_the_text(tmp_path, text, lang):
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    assert _one_doc(path).lang == lang


def test_declared_language_in_jsonl_wins(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": ID_TEXT, "language": "English"}) + "\n", encoding="utf-8")
    (doc,) = list(read_documents([path]))
    assert doc.lang == "en"


def test_unreadable_file_is_a_problem(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root can read any file")
    path = tmp_path / "secret.txt"
    path.write_text(ID_TEXT, encoding="utf-8")
    path.chmod(0)
    try:
        (problem,) = list(read_documents([path]))
    finally:
        path.chmod(0o644)
    assert isinstance(problem, Problem) and str(path) in str(problem.error)
