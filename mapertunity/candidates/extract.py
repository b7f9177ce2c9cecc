"""Resume text extraction, run in a child process with hard limits.

`python -m mapertunity.candidates.extract KIND PATH` prints the document's text to stdout.
It imports no Django: the parent (`resumes.extract_text`) starts it with an address-space
and CPU-time limit, so a hostile file can exhaust only this short-lived process.
"""

from __future__ import annotations

import sys

MAX_TEXT_BYTES = 1_000_000


def extract_pdf(path: str) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path, strict=False)
    if reader.is_encrypted:
        raise SystemExit(3)  # the parent explains: password-protected
    parts: list[str] = []
    size = 0
    for page in reader.pages:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= MAX_TEXT_BYTES:
            break
    return "\n".join(parts)


def extract_docx(path: str) -> str:
    import docx

    document = docx.Document(path)
    parts: list[str] = []
    size = 0
    for paragraph in document.paragraphs:
        parts.append(paragraph.text)
        size += len(paragraph.text)
        if size >= MAX_TEXT_BYTES:
            break
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    kind, path = argv
    text = extract_pdf(path) if kind == "pdf" else extract_docx(path)
    sys.stdout.write(text.encode("utf-8", "replace")[:MAX_TEXT_BYTES].decode("utf-8", "ignore"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
