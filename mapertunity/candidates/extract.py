"""Resume text extraction, run in a child process with hard limits.

`python -m mapertunity.candidates.extract KIND PATH` prints the document's text to stdout.
It imports no Django: the parent (`resumes.extract_text`) starts it with an address-space
and CPU-time limit, so a hostile file can exhaust only this short-lived process.
"""

from __future__ import annotations

import sys

MAX_TEXT_BYTES = 1_000_000
ENCRYPTED = 3
"""Exit status: the document is password-protected."""
TOO_COMPLEX = 4
"""Exit status: parsing it needed more memory (or nesting) than the limits allow."""
DAMAGED = 5
"""Exit status: the parser could not make sense of the file."""


def extract_pdf(path: str) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path, strict=False)
    if reader.is_encrypted:
        raise SystemExit(ENCRYPTED)  # the parent explains
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
    try:
        text = extract_pdf(path) if kind == "pdf" else extract_docx(path)
    except (MemoryError, RecursionError):
        return TOO_COMPLEX
    except SystemExit:
        raise
    except Exception:  # any parser error: the file is not a readable document
        return DAMAGED
    sys.stdout.write(text.encode("utf-8", "replace")[:MAX_TEXT_BYTES].decode("utf-8", "ignore"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
