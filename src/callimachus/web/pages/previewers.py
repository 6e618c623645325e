"""File previews, safe by construction: pure functions from a file's first bytes to what a page
shows. Nothing here executes, extracts or fetches anything.

- text, source code, JSON: escaped text (Jinja2 autoescaping), in ``<pre>``;
- CSV/TSV: the first rows as table cells (escaped);
- Markdown and notebook markdown cells: rendered with raw HTML disabled, then sanitised with nh3
  to an allow-list (no images, scripts, styles, event handlers or non-http(s) links);
- notebooks: cell sources as text; outputs only as plain text or PNG/JPEG data (never HTML/JS);
- ZIP: the central directory's listing, read through ranged reads; no member is ever opened.

Every reader is bounded: a file larger than its kind's limit is "too large to preview".
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import json
import struct
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

KiB = 1024
MiB = 1024 * KiB

IMAGE_EXTENSIONS = {"png", "jpg", "jpeg", "gif", "webp", "avif", "bmp", "svg", "ico"}
TEXT_EXTENSIONS = {
    "txt", "text", "log", "py", "pyi", "r", "rmd", "c", "h", "cc", "cpp", "hpp", "cxx", "java", "kt", "scala", "js", "mjs",
    "ts", "tsx", "jsx", "rs", "go", "rb", "pl", "pm", "php", "sh", "bash", "zsh", "ps1", "bat", "sql", "yaml", "yml", "toml",
    "ini", "cfg", "conf", "tex", "bib", "bst", "cls", "sty", "xml", "html", "htm", "xhtml", "css", "scss", "m", "jl", "f",
    "f90", "f95", "for", "do", "sas", "stan", "swift", "lua", "hs", "ml", "clj", "ex", "exs", "erl", "dart", "vue", "cmake",
    "mk", "makefile", "dockerfile", "gradle", "properties", "rst", "adoc", "org", "cff", "cwl", "nf", "smk", "gitignore",
    "srt", "vtt", "nt", "ttl", "rdf", "n3", "jsonld", "geojson", "gpx", "kml", "kmz_doc", "sed", "awk", "diff", "patch",
}  # fmt: skip
TEXT_NAMES = {"readme", "license", "licence", "copying", "authors", "changelog", "makefile", "dockerfile", "notice", "citation"}


@dataclass(frozen=True)
class Limits:
    text_bytes: int = 256 * KiB  # text and code: the first part is shown
    table_bytes: int = 256 * KiB  # CSV/TSV: rows from the first part
    table_rows: int = 100
    table_columns: int = 50
    cell_chars: int = 500
    markdown_bytes: int = 1 * MiB  # whole-file kinds: larger files are not previewed
    json_bytes: int = 2 * MiB
    notebook_bytes: int = 5 * MiB
    notebook_cells: int = 200
    output_chars: int = 10_000
    image_bytes: int = 30 * MiB
    pdf_bytes: int = 200 * MiB
    zip_entries_shown: int = 1000
    zip_max_entries: int = 20_000
    sniff_bytes: int = 8 * KiB


LIMITS = Limits()
WHOLE_FILE = {"markdown", "json", "notebook"}


@dataclass
class ZipEntry:
    name: str
    size: int
    compressed: int
    modified: str
    is_dir: bool


@dataclass
class Cell:
    kind: str  # "markdown", "code", "raw"
    source: str = ""
    html: Markup | None = None
    outputs: list[dict[str, str]] = field(default_factory=list)  # {"text": …} or {"image": data URI}


@dataclass
class Preview:
    kind: str  # image, pdf, table, text, markdown, json, zip, notebook, too_large, unsupported, invalid
    note: str | None = None
    text: str | None = None
    html: Markup | None = None
    rows: list[list[str]] = field(default_factory=list)
    entries: list[ZipEntry] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    total_entries: int = 0


def extension(key: str) -> str:
    name = key.lower()
    return name.rsplit(".", 1)[1] if "." in name.strip(".") else ""


def kind_for(key: str, mimetype: str) -> str:
    """What kind of preview a file gets, from its name first (types from uploads are guesses)."""
    ext, mime = extension(key), (mimetype or "").split(";")[0].strip().lower()
    if ext in IMAGE_EXTENSIONS or (mime.startswith("image/") and mime != "image/tiff"):
        return "image"
    if ext == "pdf" or mime == "application/pdf":
        return "pdf"
    if ext in ("csv", "tsv", "tab") or mime in ("text/csv", "text/tab-separated-values"):
        return "tsv" if ext in ("tsv", "tab") or mime == "text/tab-separated-values" else "csv"
    if ext in ("md", "markdown") or mime == "text/markdown":
        return "markdown"
    if ext == "ipynb":
        return "notebook"
    if ext == "json" or mime == "application/json" or mime.endswith("+json"):
        return "json"
    if ext == "zip" or mime in ("application/zip", "application/x-zip-compressed"):
        return "zip"
    if ext in TEXT_EXTENSIONS or key.lower() in TEXT_NAMES or mime.startswith("text/"):
        return "text"
    return "sniff"  # unknown: shown as text if its first bytes are text


def read_limit(kind: str, limits: Limits = LIMITS) -> int:
    return {
        "csv": limits.table_bytes, "tsv": limits.table_bytes, "markdown": limits.markdown_bytes,
        "json": limits.json_bytes, "notebook": limits.notebook_bytes, "text": limits.text_bytes,
        "sniff": limits.text_bytes,
    }[kind]


def looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # only a character cut at the end of the sample
    return True


def decode(data: bytes) -> str:
    return data.decode("utf-8-sig", errors="replace")


def _shown(data: bytes, truncated: bool) -> str:
    """Text of a sample; a cut sample drops its last, partial line."""
    text = decode(data)
    if truncated and "\n" in text:
        text = text[: text.rindex("\n") + 1]
    return text


def text_preview(data: bytes, truncated: bool, limits: Limits = LIMITS) -> Preview:
    note = f"Showing the first {len(data) // KiB} KiB." if truncated else None
    return Preview("text", note=note, text=_shown(data, truncated))


def table_preview(data: bytes, truncated: bool, delimiter: str, limits: Limits = LIMITS) -> Preview:
    text = _shown(data, truncated)
    rows: list[list[str]] = []
    more = truncated
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False):
            if len(rows) >= limits.table_rows:
                more = True
                break
            rows.append([cell[: limits.cell_chars] for cell in row[: limits.table_columns]])
    except csv.Error:
        return text_preview(data, truncated, limits)
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    note = f"Showing the first {len(rows)} rows." if more else None
    return Preview("table", note=note, rows=rows)


# Markdown: headings, lists, emphasis, code, tables, quotes, links (http, https, mailto only).
MARKDOWN_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "kbd", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").enable("strikethrough")


def sanitize_markdown_html(html: str) -> Markup:
    cleaned = nh3.clean(
        html,
        tags=MARKDOWN_TAGS,
        attributes={"*": set(), "a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https", "mailto"},
        url_relative="deny",
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
    return Markup(cleaned)


def render_markdown(source: str) -> Markup:
    """Markdown as sanitised HTML; headings move one level down (the page's own title is the h1)."""
    tokens = _MARKDOWN.parse(source)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + 1)}"
    return sanitize_markdown_html(_MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {}))


def markdown_preview(data: bytes) -> Preview:
    return Preview("markdown", html=render_markdown(decode(data)))


def json_preview(data: bytes, limits: Limits = LIMITS) -> Preview:
    try:
        value = json.loads(decode(data))
    except (ValueError, RecursionError):
        preview = text_preview(data[: limits.text_bytes], len(data) > limits.text_bytes, limits)
        preview.note = "This is not valid JSON; it is shown as text."
        return preview
    try:
        pretty = json.dumps(value, indent=2, ensure_ascii=False)
    except RecursionError:
        return Preview("invalid", note="This JSON is nested too deeply to show.")
    return Preview("json", text=pretty)


def _joined(value: Any, limit: int) -> str:
    if isinstance(value, list):
        value = "".join(str(v) for v in value)
    return str(value or "")[:limit]


def _cell_outputs(cell: dict[str, Any], limits: Limits) -> list[dict[str, str]]:
    shown: list[dict[str, str]] = []
    for output in cell.get("outputs") or []:
        if not isinstance(output, dict):
            continue
        if output.get("output_type") == "stream":
            shown.append({"text": _joined(output.get("text"), limits.output_chars)})
        elif output.get("output_type") == "error":
            shown.append({"text": f"{output.get('ename', '')}: {output.get('evalue', '')}"[: limits.output_chars]})
        data = output.get("data")
        if not isinstance(data, dict):
            continue
        for mime in ("image/png", "image/jpeg"):
            raw = _joined(data.get(mime), 4 * MiB).replace("\n", "")
            try:
                base64.b64decode(raw, validate=True)
            except (binascii.Error, ValueError):
                continue
            if raw:
                shown.append({"image": f"data:{mime};base64,{raw}"})
                break
        else:
            if "text/plain" in data:
                shown.append({"text": _joined(data.get("text/plain"), limits.output_chars)})
    return shown


def notebook_preview(data: bytes, limits: Limits = LIMITS) -> Preview:
    """Jupyter notebooks: sources and plain outputs; HTML, JavaScript and widget outputs are left out."""
    try:
        document = json.loads(decode(data))
    except (ValueError, RecursionError):
        return Preview("invalid", note="This notebook is not valid JSON.")
    raw_cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(raw_cells, list):
        return Preview("invalid", note="This file has no notebook cells.")
    cells: list[Cell] = []
    for raw in raw_cells[: limits.notebook_cells]:
        if not isinstance(raw, dict):
            continue
        kind = raw.get("cell_type") if raw.get("cell_type") in ("markdown", "code", "raw") else "raw"
        source = _joined(raw.get("source"), limits.markdown_bytes)
        cell = Cell(kind=str(kind), source=source)
        if kind == "markdown":
            cell.html = render_markdown(source)
        elif kind == "code":
            cell.outputs = _cell_outputs(raw, limits)
        cells.append(cell)
    note = f"Showing the first {limits.notebook_cells} cells." if len(raw_cells) > limits.notebook_cells else None
    return Preview("notebook", note=note, cells=cells)


def zip_entry_count(tail: bytes) -> int | None:
    """Entries the end-of-central-directory record declares (None: not found; 0xFFFF: ZIP64)."""
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    return int(struct.unpack("<H", tail[at + 10 : at + 12])[0])


def zip_preview(stream: BinaryIO, size: int, limits: Limits = LIMITS) -> Preview:
    """The listing of a ZIP archive from its central directory; members are never read."""
    tail_size = min(size, 65_536 + 22)
    stream.seek(size - tail_size)
    declared = zip_entry_count(stream.read(tail_size))
    if declared is None:
        return Preview("invalid", note="This is not a valid ZIP archive.")
    if declared >= min(limits.zip_max_entries, 0xFFFF):
        return Preview("too_large", note="This archive has too many entries to list.")
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return Preview("invalid", note="This is not a valid ZIP archive.")
    entries = []
    for info in infos[: limits.zip_entries_shown]:
        try:
            modified = datetime(*info.date_time).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            modified = ""
        entries.append(ZipEntry(info.filename, info.file_size, info.compress_size, modified, info.is_dir()))
    note = f"Showing the first {limits.zip_entries_shown} of {len(infos)} entries." if len(infos) > limits.zip_entries_shown else None
    return Preview("zip", note=note, entries=entries, total_entries=len(infos))


def render(kind: str, data: bytes, truncated: bool, limits: Limits = LIMITS) -> Preview:
    """The preview of a file's first bytes; ``truncated``: the file is longer than ``data``."""
    if kind in WHOLE_FILE and truncated:
        return Preview("too_large")
    if kind == "csv":
        return table_preview(data, truncated, ",", limits)
    if kind == "tsv":
        return table_preview(data, truncated, "\t", limits)
    if kind == "markdown":
        return markdown_preview(data)
    if kind == "json":
        return json_preview(data, limits)
    if kind == "notebook":
        return notebook_preview(data, limits)
    if kind == "sniff" and not looks_like_text(data[: limits.sniff_bytes]):
        return Preview("unsupported")
    return text_preview(data, truncated, limits)
