"""Row-level import errors: every problem with its file, row, column and a Swedish reason."""

from __future__ import annotations

from dataclasses import dataclass

from insats.domain.common import DomainError

# Errors kept with all their details; beyond this only the count grows (a file where every
# one of a million rows is wrong must not hold a million messages in memory).
KEPT_ERRORS = 10_000


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in an import file. ``row`` 0 means the file as a whole."""

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"rad {self.row}" if self.row else "filen"
        column = f", kolumn {self.column}" if self.column else ""
        return f"{self.file}, {where}{column}: {self.message}"


class CellError(Exception):
    """A value that cannot be read; carries the Swedish reason (no column or row yet)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ErrorCollector:
    """Collects every error of one import; keeps the first ``KEPT_ERRORS`` in full."""

    def __init__(self, file: str, *, keep: int = KEPT_ERRORS) -> None:
        self.file = file
        self.keep = keep
        self.errors: list[RowError] = []
        self.total = 0

    def add(self, row: int, column: str, message: str) -> None:
        self.total += 1
        if len(self.errors) < self.keep:
            self.errors.append(RowError(self.file, row, column, message))

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total

    def sorted(self) -> list[RowError]:
        return sorted(self.errors, key=lambda error: (error.row, error.column))


class ImportRejected(DomainError):
    """The file had errors; nothing was written. ``errors`` holds up to KEPT_ERRORS rows."""

    def __init__(self, file: str, errors: list[RowError], total: int) -> None:
        super().__init__(
            "import.rejected",
            f"{file}: {total} fel hittades; ingenting sparades. Rätta filen och importera igen.",
        )
        self.file = file
        self.errors = errors
        self.total = total


class FileProblem(DomainError):
    """The file as a whole cannot be read (missing, wrong format, unknown sheet)."""

    def __init__(self, message: str) -> None:
        super().__init__("import.file", message)
