"""Writing report files: atomically (a reader never sees half a file) and readable by the owner only, since a
report lists an account's weaknesses."""

from __future__ import annotations

import codecs
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from mlaudit.core.errors import UserError

if TYPE_CHECKING:
    from mlaudit.renderers import Format, RenderOptions
    from mlaudit.report.model import Report

REPORT_FILE_MODE = 0o600
REPORT_DIRECTORY_MODE = 0o700
SURROGATES_REPLACED = "mlaudit-replace-surrogates"
"""The encoding error handler of every report file: a lone surrogate (`\\ud800`, which a JSON escape in an AWS
answer can carry into a name) is written as U+FFFD, the replacement character, instead of failing the file."""


REPLACEMENT = "\ufffd".encode()
"""As bytes: CPython's UTF-8 encoder refuses a handler's replacement text that is not ASCII."""


def _replace_surrogates(error: UnicodeError) -> tuple[bytes, int]:
    if isinstance(error, UnicodeEncodeError):
        return REPLACEMENT * (error.end - error.start), error.end
    raise error


codecs.register_error(SURROGATES_REPLACED, _replace_surrogates)


def text_stream(handle: BinaryIO) -> io.TextIOWrapper:
    """UTF-8 text over a binary report file, lone surrogates replaced, newlines written as given."""
    return io.TextIOWrapper(handle, encoding="utf-8", errors=SURROGATES_REPLACED, newline="", write_through=False)


def prepare_directory(directory: Path) -> Path:
    """Create the output directory if needed and prove it is writable, before any scanning starts."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".mlaudit-probe-"):
            pass
    except OSError as exc:
        raise UserError(f"cannot write reports to {directory}: {exc.strerror or exc}") from exc
    return directory


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A file written beside `path` and renamed over it once complete (existing reports are replaced), so
    that a reader never sees half a report, however long it takes to write; a failure is one error line naming
    the file."""
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        os.chmod(temporary, REPORT_FILE_MODE)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_directory(path: Path) -> Iterator[Path]:
    """A directory filled beside `path` and put in its place once complete (an existing one is replaced), its
    files readable by the owner only; a failure is one error line naming the directory."""
    try:
        temporary = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        yield temporary
        for entry in temporary.rglob("*"):
            os.chmod(entry, REPORT_DIRECTORY_MODE if entry.is_dir() else REPORT_FILE_MODE)
        _replace_directory(temporary, path)
    except OSError as exc:
        shutil.rmtree(temporary, ignore_errors=True)
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from exc
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def _replace_directory(new: Path, path: Path) -> None:
    """Rename `new` to `path`; a directory already there is moved aside first and removed once `new` is in place."""
    if not path.is_dir():
        os.replace(new, path)
        return
    old = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".old"))
    os.replace(path, old / path.name)
    os.replace(new, path)
    shutil.rmtree(old)


def write_atomic(path: Path, content: str | bytes) -> None:
    with atomic_file(path) as handle:
        handle.write(content.encode("utf-8") if isinstance(content, str) else content)


def write_reports(
    report: Report, formats: Sequence[Format], directory: Path | None, options: RenderOptions
) -> list[Path]:
    """Each format to `<directory>/mlaudit.<extension>` (a file, or a directory for a format written as a tree),
    or the single format to stdout when `directory` is None."""
    if directory is None:
        write = formats[0].stream_writer()
        sys.stdout.flush()
        stdout = text_stream(sys.stdout.buffer)
        write(report, options, stdout)
        stdout.flush()
        stdout.detach()  # sys.stdout stays open
        return []
    written = []
    for fmt in formats:
        path = directory / fmt.filename
        if fmt.write_tree is not None:
            with atomic_directory(path) as tree:
                fmt.write_tree(report, options, tree)
        else:
            with atomic_file(path) as handle:
                stream = text_stream(handle)
                fmt.stream_writer()(report, options, stream)
                stream.flush()
                stream.detach()
        written.append(path)
    return written


GITHUB_SUMMARY_LIMIT = 1024 * 1024
"""GitHub rejects a job summary larger than 1 MiB."""


def append_github_summary(report: Report, options: RenderOptions) -> Path | None:
    """When running in GitHub Actions (`GITHUB_STEP_SUMMARY`), append the Markdown summary, within what is left
    of GitHub's 1 MiB budget."""
    from dataclasses import replace

    from mlaudit.renderers.markdown import render_markdown

    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    path = Path(target)
    used = path.stat().st_size if path.exists() else 0
    budget = GITHUB_SUMMARY_LIMIT - used - 4096
    if budget <= 4096:
        return None
    text = render_markdown(report, replace(options, markdown_budget=min(options.markdown_budget, budget)))
    try:
        with path.open("a", encoding="utf-8", errors=SURROGATES_REPLACED) as handle:
            handle.write(text)
    except OSError as exc:
        raise UserError(f"cannot append to GITHUB_STEP_SUMMARY ({path}): {exc.strerror or exc}") from exc
    return path
