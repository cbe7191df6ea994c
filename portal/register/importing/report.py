"""What an import run did: counts per kind of record, and every rejected record with its reason."""

from collections import Counter
from dataclasses import dataclass, field

# Outcomes that leave the register as it was.
NOT_CHANGES = frozenset(
    {
        "unchanged",
        "listed",
        "duplicate in run (identical)",
        "care-directory row superseded by full record",
    }
)


@dataclass(frozen=True)
class Rejection:
    file: str
    where: str  # "line 12", "record 3", or "" for the whole file
    reason: str

    def __str__(self) -> str:
        place = f"{self.file}, {self.where}" if self.where else self.file
        return f"{place}: {self.reason}"


@dataclass
class ImportReport:
    dry_run: bool = False
    files: int = 0
    skipped_files: list[str] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    # kind ("locations", "providers", "people", "roles", ...) -> outcome -> number
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    people_notified: int = 0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase

    def reject(self, file: str, where: str, reason: str) -> None:
        self.rejections.append(Rejection(file, where, reason))

    def count(self, kind: str, outcome: str, number: int = 1) -> None:
        if number:
            self.counts.setdefault(kind, Counter())[outcome] += number

    @property
    def changed(self) -> bool:
        return any(
            number
            for outcomes in self.counts.values()
            for outcome, number in outcomes.items()
            if outcome not in NOT_CHANGES
        )

    @property
    def ok(self) -> bool:
        return not self.rejections

    def summary(self) -> dict[str, object]:
        return {
            "dry_run": self.dry_run,
            "files": self.files,
            "skipped_files": len(self.skipped_files),
            "rejected": len(self.rejections),
            "changed": self.changed,
            "people_notified": self.people_notified,
            "counts": {kind: dict(outcomes) for kind, outcomes in sorted(self.counts.items())},
        }
