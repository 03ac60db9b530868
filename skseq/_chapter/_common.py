"""Helpers shared by the chapter's tables: text tables, CSV files, figures."""

import csv

__all__ = ["book_number", "format_rows", "report", "save_figure", "write_csv"]


def report(model, score, seconds):
    """Print one line as a model finishes (``skseq reproduce`` runs for up to
    ~35 minutes: this is its progress)."""
    print(f"  done: {model}: {score} ({seconds:.1f} s)", flush=True)


def book_number(text):
    """The book's figure in a cell such as "37,866", "bus 26,369" or "+1: 25,519";
    None for a cell without one ("better than SimpleRNN")."""
    for part in text.replace(",", "").split(" "):
        try:
            return float(part)
        except ValueError:
            continue
    return None


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


def save_figure(fig, folder, name):
    """Save ``fig`` as ``folder / name`` (PNG, 100 dpi), close it, return the path."""
    import matplotlib.pyplot as plt

    path = folder / name
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
