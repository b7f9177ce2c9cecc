"""Checking an uploaded resume before anything parses it, then extracting its text safely.

Order matters: size, then magic bytes, then (for DOCX) the ZIP directory, all without
decompressing anything; only then a child process with memory and time limits parses it.
"""

from __future__ import annotations

import contextlib
import fcntl
import math
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from .extract import ENCRYPTED, TOO_COMPLEX

MAX_BYTES = 5 * 1024 * 1024
MAX_ZIP_ENTRIES = 300
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 100
EXTRACT_MEMORY_BYTES = 512 * 1024 * 1024
EXTRACT_SECONDS = 10
MAX_TEXT_CHARS = 1_000_000

# The child that parses files; its argv ends with the kind and the path.
EXTRACT_COMMAND = [sys.executable, "-m", "mapertunity.candidates.extract"]

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"


TOO_SLOW = (
    "That file took too long to read; it may be very complex. Please upload a simpler PDF "
    "or Word file."
)


class ResumeError(ValueError):
    """Why a file was refused, in words for the person who uploaded it."""


@dataclass(frozen=True)
class CheckedResume:
    kind: str
    text: str


def check_resume(upload: UploadedFile) -> CheckedResume:
    """Validate an upload and extract its text, or raise ResumeError saying why not."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in {"pdf", "docx"}:
        raise ResumeError("Upload your resume as a PDF or a Word (.docx) file.")
    if upload.size is None or upload.size > MAX_BYTES:
        raise ResumeError("That file is larger than 5 MB. Please upload a smaller version.")
    if upload.size == 0:
        raise ResumeError("That file is empty.")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if extension == "pdf" and not head.startswith(PDF_MAGIC):
        raise ResumeError("That file is named .pdf but isn't a PDF. Please export it as a PDF.")
    if extension == "docx":
        if not head.startswith(ZIP_MAGIC):
            raise ResumeError("That file is named .docx but isn't a Word document.")
        check_docx_archive(upload)
    with tempfile.NamedTemporaryFile(suffix=f".{extension}") as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        text = extract_text(extension, copy.name)
    upload.seek(0)
    return CheckedResume(kind=extension, text=text)


def check_docx_archive(stream: IO[bytes]) -> None:
    """Refuse ZIP bombs and odd archives by their directory alone, before inflating."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ResumeError("That Word file is damaged and can't be opened.") from error
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise ResumeError("That Word file has too many parts to be a resume.")
        total = 0
        for entry in entries:
            path = PurePosixPath(entry.filename.replace("\\", "/"))
            if path.is_absolute() or ".." in path.parts or ":" in entry.filename:
                raise ResumeError("That Word file contains unsafe file names.")
            total += entry.file_size
            if entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
                raise ResumeError("That Word file expands far beyond its size; it was refused.")
        if total > MAX_UNCOMPRESSED:
            raise ResumeError("That Word file expands far beyond its size; it was refused.")
        names = {entry.filename for entry in entries}
        if "word/document.xml" not in names or "[Content_Types].xml" not in names:
            raise ResumeError("That file is a ZIP archive, not a Word document.")
    stream.seek(0)


def _limit_child() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (EXTRACT_MEMORY_BYTES, EXTRACT_MEMORY_BYTES))
    cpu = max(1, math.ceil(EXTRACT_SECONDS))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # it has nothing to write to disk


TOO_BUSY = (
    "We're reading a lot of resumes right now. Please try again in a minute; "
    "your other answers are kept."
)
SLOT_WAIT_SECONDS = 8


@contextlib.contextmanager
def _extraction_slot() -> Iterator[None]:
    """Hold one of RESUME_EXTRACTIONS_AT_ONCE slots, shared by every process on the machine.

    Each child may take 512 MiB, so parallel hostile uploads must not start a child each.
    A slot is an exclusive lock on one of N small files; the kernel drops it if we die.
    """
    folder = Path(settings.PRIVATE_STORAGE_ROOT) / ".extract-slots"
    folder.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + SLOT_WAIT_SECONDS
    while True:
        for n in range(settings.RESUME_EXTRACTIONS_AT_ONCE):
            handle = open(folder / f"slot-{n}", "a+b")  # noqa: SIM115 - held while parsing
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
            return
        if time.monotonic() >= deadline:
            raise ResumeError(TOO_BUSY)
        time.sleep(0.1)


def extract_text(kind: str, path: str) -> str:
    """Run the extractor in a child process bounded in memory, CPU and wall time."""
    with _extraction_slot():
        return _run_extractor(kind, path)


def _run_extractor(kind: str, path: str) -> str:
    try:
        result = subprocess.run(
            [*EXTRACT_COMMAND, kind, path],
            capture_output=True,
            timeout=EXTRACT_SECONDS,
            preexec_fn=_limit_child,  # noqa: PLW1509 - no threads are started before exec
            env={**os.environ, "PYTHONHASHSEED": "0"},
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise ResumeError(TOO_SLOW) from error
    if result.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise ResumeError(TOO_SLOW)
    if result.returncode == ENCRYPTED:
        raise ResumeError(
            "That PDF is password-protected. Please upload a version without a password."
        )
    if result.returncode == TOO_COMPLEX:
        raise ResumeError(
            "That file is too complex to read (it needs more memory than a resume should). "
            "Please save it as a simpler PDF, for example with “Print to PDF”."
        )
    if result.returncode != 0:
        raise ResumeError(
            "We couldn't read that file. It may be damaged; please export it again and retry."
        )
    return result.stdout[: MAX_TEXT_CHARS * 4].decode("utf-8", "replace")[:MAX_TEXT_CHARS]
