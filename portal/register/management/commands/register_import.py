"""`manage.py register_import PATH... [--dry-run]`: import register files; see docs/register-contact-feed.md."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from portal.register.importing.report import ImportReport
from portal.register.importing.run import run_import

# Rejections printed in full; beyond this the summary gives the count (all are in the audit).
SHOWN_REJECTIONS = 200


class Command(BaseCommand):
    help = (
        "Import CQC API JSON bodies, care-directory CSV exports and the regulator's contact "
        "feed (files or directories, format detected per file). Exits 1 if anything was rejected."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, change nothing"
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(file=self.stdout, soft_wrap=True)  # type: ignore[arg-type]
        paths: list[Path] = options["paths"]
        show_progress = not options["quiet"] and console.is_terminal
        with Progress(
            TextColumn("[bold]Importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=console,
            disable=not show_progress,
        ) as progress:
            task = progress.add_task("", total=None)

            def on_file(number: int, total: int, label: str) -> None:
                if number % 50 == 0 or number == total:
                    progress.update(task, completed=number, total=total, description=label[-50:])

            report = run_import(paths, dry_run=options["dry_run"], on_file=on_file)
        self.print_report(console, report)
        if report.rejections:
            raise CommandError(
                f"{len(report.rejections)} record(s) rejected; everything else was "
                + ("checked (dry run)." if report.dry_run else "applied.")
            )

    def print_report(self, console: Console, report: ImportReport) -> None:
        for rejection in report.rejections[:SHOWN_REJECTIONS]:
            console.print(f"[red]Rejected[/red] {rejection}", markup=True, highlight=False)
        if len(report.rejections) > SHOWN_REJECTIONS:
            console.print(f"… and {len(report.rejections) - SHOWN_REJECTIONS} more rejections")
        table = Table(
            title="Register import" + (" (dry run: nothing changed)" if report.dry_run else "")
        )
        table.add_column("Records")
        table.add_column("Outcome")
        table.add_column("Number", justify="right")
        for kind, outcomes in sorted(report.counts.items()):
            for outcome, number in sorted(outcomes.items()):
                table.add_row(kind, outcome, f"{number:,}")
        table.add_row("files", "read", f"{report.files:,}")
        if report.skipped_files:
            table.add_row("files", "skipped (not register data)", f"{len(report.skipped_files):,}")
        table.add_row("people", "told their register entry changed", f"{report.people_notified:,}")
        table.add_row("records", "rejected", f"{len(report.rejections):,}")
        console.print(table)
        timings = ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in report.timings.items())
        console.print(f"Time: {timings}")
        if not report.changed and not report.rejections:
            console.print("No changes: the register already matches these files.")
