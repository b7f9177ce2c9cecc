"""Every hostile file is refused with a clear message, or its cost is bounded."""

import sys
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mapertunity.candidates import extract, resumes
from mapertunity.candidates.extract import TOO_COMPLEX
from mapertunity.candidates.resumes import ResumeError, check_resume

from .files import (
    docx_bytes,
    docx_with_extra,
    encrypted_pdf,
    pdf_bytes,
    pdf_with_huge_stream,
    zip_bytes,
)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def refused(name: str, data: bytes) -> str:
    with pytest.raises(ResumeError) as error:
        check_resume(upload(name, data))
    return str(error.value)


def test_a_real_pdf_and_docx_are_read() -> None:
    assert "forklift" in check_resume(upload("cv.pdf", pdf_bytes("Forklift licence"))).text.lower()
    assert "welding" in check_resume(upload("cv.docx", docx_bytes("Welding, TIG"))).text.lower()


def test_html_renamed_pdf_is_refused() -> None:
    assert "isn't a PDF" in refused("cv.pdf", b"<html><script>alert(1)</script></html>")


def test_a_pdf_renamed_docx_is_refused() -> None:
    assert "isn't a Word document" in refused("cv.docx", pdf_bytes("hi"))


def test_other_file_types_are_refused() -> None:
    assert "PDF or a Word" in refused("cv.exe", b"MZ\x90\x00")
    assert "PDF or a Word" in refused("cv", b"%PDF-1.4")


def test_an_empty_file_is_refused() -> None:
    assert "empty" in refused("cv.pdf", b"")


def test_a_file_over_5_mb_is_refused_before_parsing() -> None:
    assert "larger than 5 MB" in refused("cv.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024))


def test_a_truncated_pdf_is_refused() -> None:
    data = pdf_bytes("A perfectly good resume")
    assert "couldn't read" in refused("cv.pdf", data[: len(data) // 3])


def test_a_truncated_docx_is_refused() -> None:
    data = docx_bytes("A perfectly good resume")
    assert "damaged" in refused("cv.docx", data[: len(data) // 2])


def test_an_encrypted_pdf_is_refused() -> None:
    assert "password-protected" in refused("cv.pdf", encrypted_pdf())


def test_a_zip_bomb_docx_is_refused_without_inflating() -> None:
    bomb = docx_with_extra([("word/media/zeros.bin", b"\0" * (60 * 1024 * 1024))])
    assert len(bomb) < 5 * 1024 * 1024
    assert "expands far beyond" in refused("cv.docx", bomb)


def test_a_docx_of_many_small_parts_is_refused_by_ratio_or_total() -> None:
    parts = [(f"word/p{i}.xml", b"a" * 1_000_000) for i in range(60)]
    assert "expands far beyond" in refused("cv.docx", docx_with_extra(parts))


def test_a_10k_entry_zip_is_refused() -> None:
    entries = [(f"word/f{i}.xml", b"x") for i in range(10_000)]
    assert "too many parts" in refused("cv.docx", docx_with_extra(entries))


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "/abs/path.xml", "word/../../x.xml", "C:evil"]
)
def test_path_traversal_names_are_refused(name: str) -> None:
    assert "unsafe file names" in refused("cv.docx", docx_with_extra([(name, b"x")]))


def test_a_plain_zip_named_docx_is_refused() -> None:
    assert "not a Word document" in refused("cv.docx", zip_bytes([("hello.txt", b"hi")]))


def test_a_pdf_whose_content_inflates_to_gigabytes_is_bounded() -> None:
    # 1.2 GB of page content in a ~2 MB file: the parser stops early (pypdf caps inflation)
    # or the child hits its limits; either way it is quick, small, and this process is fine.
    data = pdf_with_huge_stream(1_200_000_000)
    assert len(data) < 5 * 1024 * 1024
    started = time.monotonic()
    try:
        text = check_resume(upload("cv.pdf", data)).text
    except ResumeError as error:
        assert "couldn't read" in str(error)
    else:
        assert len(text) <= resumes.MAX_TEXT_CHARS
    assert time.monotonic() - started < resumes.EXTRACT_SECONDS + 5


def test_a_parser_that_eats_memory_is_stopped_and_this_process_carries_on(monkeypatch) -> None:
    # Stand in for a parser blown up by a crafted file: it asks for 2 GB.
    greedy = [sys.executable, "-c", "buffer = bytearray(2 * 1024 ** 3)"]
    monkeypatch.setattr(resumes, "EXTRACT_COMMAND", greedy)
    assert "couldn't read" in refused("cv.pdf", pdf_bytes("fine"))
    monkeypatch.undo()
    assert check_resume(upload("cv.pdf", pdf_bytes("fine again"))).text


def test_a_parser_that_spins_is_stopped_by_the_time_limit(monkeypatch) -> None:
    monkeypatch.setattr(resumes, "EXTRACT_COMMAND", [sys.executable, "-c", "while True: pass"])
    monkeypatch.setattr(resumes, "EXTRACT_SECONDS", 1)
    started = time.monotonic()
    assert "took too long" in refused("cv.pdf", pdf_bytes("slow"))
    assert time.monotonic() - started < 5


def test_a_parser_out_of_memory_is_reported_as_too_complex(monkeypatch) -> None:
    # What the real extractor does when the 512 MiB limit bites: it exits TOO_COMPLEX.
    code = f"raise SystemExit({TOO_COMPLEX})"
    monkeypatch.setattr(resumes, "EXTRACT_COMMAND", [sys.executable, "-c", code])
    assert "too complex to read" in refused("cv.pdf", pdf_bytes("fine"))


def test_the_real_extractor_reports_memory_exhaustion_as_too_complex(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(extract, "extract_pdf", lambda path: bytearray(1 << 62).decode())
    assert extract.main(["pdf", str(tmp_path / "cv.pdf")]) == TOO_COMPLEX
    monkeypatch.setattr(extract, "extract_pdf", lambda path: 1 / 0)
    assert extract.main(["pdf", str(tmp_path / "cv.pdf")]) == extract.DAMAGED


def test_extractions_share_a_small_pool_and_the_overflow_is_asked_to_retry(
    monkeypatch, settings
) -> None:
    settings.RESUME_EXTRACTIONS_AT_ONCE = 1
    monkeypatch.setattr(resumes, "SLOT_WAIT_SECONDS", 0.3)
    with resumes._extraction_slot():  # another upload is being read
        assert "try again in a minute" in refused("cv.pdf", pdf_bytes("queued"))
    assert check_resume(upload("cv.pdf", pdf_bytes("now it fits"))).text


def test_extracted_text_is_capped_at_1_mb(monkeypatch) -> None:
    monkeypatch.setattr(resumes, "MAX_TEXT_CHARS", 50)
    text = check_resume(upload("cv.docx", docx_bytes("word " * 1000))).text
    assert len(text) == 50
