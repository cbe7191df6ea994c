"""A chart's data as CSV, streamed row by row.

A spreadsheet runs a cell that starts with =, +, - or @ (or a tab or carriage return, which
some read past) as a formula: such text cells get a leading apostrophe, so a team called
"=HYPERLINK(...)" arrives as text. Numbers are written as numbers."""

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

from portal.casework.dashboards.charts import Cell, Chart

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


class _Echo:
    """csv.writer writes to this and gets back the line, for the streaming response."""

    def write(self, value: str) -> str:
        return value


def csv_lines(chart: Chart) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(chart.columns)
    rows: Iterable[tuple[Cell, ...]] = chart.rows
    for row in rows:
        yield writer.writerow([neutralised(cell) for cell in row])


def csv_response(chart: Chart, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(chart), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
