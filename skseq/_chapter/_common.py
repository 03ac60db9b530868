"""Helpers shared by the chapter's tables: text tables and CSV files."""

import csv

__all__ = ["format_rows", "write_csv"]


def format_rows(header, rows):
    """Render ``rows`` (tuples of str) under ``header`` as aligned plain text."""
    rows = [tuple(header)] + [tuple(row) for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def write_csv(results, path):
    """Write a list of flat dicts (same keys) as a CSV file."""
    with open(path, "w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(results[0]))
        writer.writeheader()
        writer.writerows(results)
