"""Helpers shared by the chapter's tables: seeds, verdicts, text, CSV, figures.

A table's trained rows are fitted once per seed; ``mean_std`` summarises the
scores and the verdict helpers compare them with the book, counting a gap only
when it is larger than the seed-to-seed noise (``NOISE_Z`` standard errors).
"""

import contextlib
import contextvars
import csv
import math

import numpy as np

__all__ = [
    "NOISE_Z",
    "book_number",
    "compare_claim",
    "compare_with_book",
    "format_mean_std",
    "format_rows",
    "mark_other_epochs",
    "mean_std",
    "plot_book_vs_skseq",
    "report",
    "save_figure",
    "write_csv",
]

# A gap counts when it exceeds this many standard errors of the seed noise.
NOISE_Z = 2.0
HOLDS, TIE, DIFFERS, UNKNOWN = "holds", "tie (within noise)", "differs", "? (1 seed)"


def report(model, score, seconds):
    """Print one line as a model finishes (``skseq reproduce`` runs for up to
    ~35 minutes: this is its progress)."""
    print(f"  done: {model}: {score} ({seconds:.1f} s)", flush=True)


def book_number(text):
    """The book's figure in a cell such as "37,866", "bus 26,369" or "+1: 25,519";
    None for a cell without one ("better than SimpleRNN")."""
    token = _number_token(text)
    return None if token is None else float(token)


def _number_token(text):
    """The first word of ``text`` that is a number, commas removed, or None."""
    for part in text.replace(",", "").split(" "):
        try:
            float(part)
        except ValueError:
            continue
        return part
    return None


def mean_std(scores, deterministic=False):
    """Mean and standard deviation (ddof=1) of ``scores``; the standard deviation
    of a single score is NaN (unknown), or 0 if the model is ``deterministic``."""
    scores = np.asarray(scores, dtype=float)
    if len(scores) > 1:
        std = float(scores.std(ddof=1))
    else:
        std = 0.0 if deterministic else math.nan
    return float(scores.mean()), std


def format_mean_std(mean, std, digits=4):
    """``"0.0123 ± 0.0004"``; the mean alone when ``std`` is NaN (one seed), and
    ``"± 0"`` for a deterministic model."""
    if math.isnan(std):
        return f"{mean:.{digits}f}"
    if std == 0:
        return f"{mean:.{digits}f} ± 0"
    return f"{mean:.{digits}f} ± {std:.{digits}f}"


def _last_digit(text):
    """Half a unit of the last printed digit of the book's number in ``text``
    ("0.0188" -> 0.00005, "bus 26,369" -> 0.5)."""
    digits = _number_token(text).split(".")
    decimals = len(digits[1]) if len(digits) > 1 else 0
    return 0.5 * 10.0**-decimals


def compare_with_book(book, mean, std, n_seeds):
    """Verdict on a book figure given skseq's ``mean`` and ``std`` over seeds.

    The book's figure is one run, rounded: it "holds" when it lies within
    ``NOISE_Z`` standard errors of skseq's mean (the book's run counted as one more
    draw of the seed noise, ``std * sqrt(1 + 1/n_seeds)``) plus half a unit of its
    last printed digit; otherwise it "differs". ``std`` is NaN when the noise is
    unknown (one fit of a random model) and 0 for a deterministic model.
    """
    value = book_number(book)
    if value is None:
        return "-"
    if math.isnan(std):
        return UNKNOWN
    noise = NOISE_Z * std * math.sqrt(1 + 1 / n_seeds)
    tolerance = noise + _last_digit(book)
    return HOLDS if abs(mean - value) <= tolerance else DIFFERS


def mark_other_epochs(results, epochs, book_epochs):
    """Withdraw the verdicts of the trained rows when ``--epochs`` changed the
    book's number of epochs; return ``results``.

    A model trained for other epochs than the book's is not the book's model:
    whether it matches the book's figure or claim says nothing of the
    reproduction (and a table's reasons for a difference would be wrong). Each
    result whose ``std`` is not 0 (0: a deterministic row, nothing trained)
    and whose verdict is one of the book's gets ``"? (--epochs N, book M)"``.
    Nothing changes when ``epochs`` is None or ``book_epochs``.
    """
    if epochs is None or epochs == book_epochs:
        return results
    for result in results:
        if result["std"] != 0 and result["verdict"] in (HOLDS, TIE, DIFFERS):
            result["verdict"] = f"? (--epochs {epochs}, book {book_epochs})"
    return results


def compare_claim(row, others, lower_is_better=True):
    """Verdict on "``row`` is better than (the best of) ``others``".

    ``row`` and each of ``others`` are ``(mean, std, n_seeds)``, ``std`` NaN
    when unknown (one fit) and 0 for a deterministic model. The gap to the
    best of ``others`` counts when it exceeds ``NOISE_Z`` standard errors of the
    difference of the two means: then the claim "holds" or "differs"; a smaller
    gap is a "tie (within noise)". None when there is nothing to compare with.
    """
    if not others:
        return None
    sign = 1 if lower_is_better else -1
    best = min(others, key=lambda other: sign * other[0])
    if math.isnan(row[1]) or math.isnan(best[1]):
        return UNKNOWN
    gap = sign * (best[0] - row[0])  # > 0: row is better
    noise = NOISE_Z * math.hypot(
        row[1] / math.sqrt(row[2]), best[1] / math.sqrt(best[2])
    )
    if gap > noise:
        return HOLDS
    return TIE if gap >= -noise else DIFFERS


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


# A line written on every figure saved inside ``figure_note(...)``.
_FIGURE_NOTE = contextvars.ContextVar("figure_note", default=None)


@contextlib.contextmanager
def figure_note(note):
    """Write ``note`` (None: nothing) in the corner of every figure that
    :func:`save_figure` saves inside the block: ``--quick`` figures say so."""
    token = _FIGURE_NOTE.set(note)
    try:
        yield
    finally:
        _FIGURE_NOTE.reset(token)


def save_figure(fig, folder, name):
    """Save ``fig`` as ``folder / name`` (PNG, 100 dpi), close it, return the
    path; inside :func:`figure_note`, with its note in the lower right corner."""
    import matplotlib.pyplot as plt

    note = _FIGURE_NOTE.get()
    if note:
        _reserve_bottom(fig, inches=0.2)  # the note under the x axis label
        fig.text(0.995, 0.005, note, ha="right", va="bottom", fontsize=8, color="C3")
    path = folder / name
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _reserve_bottom(fig, inches):
    """Keep a strip of ``inches`` at the bottom of ``fig`` free of axes and
    their labels (a constrained layout lays them out above it)."""
    engine = fig.get_layout_engine()
    share = inches / fig.get_figheight()
    if hasattr(engine, "set") and "rect" in engine.get():
        engine.set(rect=(0, share, 1, 1 - share))
    else:
        fig.subplots_adjust(bottom=fig.subplotpars.bottom + share)


def plot_book_vs_skseq(ax, labels, results):
    """Horizontal bars of skseq's mean score with ± one standard deviation and
    each seed's score as a dot, and the book's figure as a diamond (with half a
    unit of its last printed digit as error bar), one row per result.

    ``results`` are dicts with ``skseq`` (mean), ``std``, ``scores`` (the seeds'
    scores, separated by spaces) and ``book`` (a str).
    """
    positions = np.arange(len(results))
    means = [r["skseq"] for r in results]
    stds = [0.0 if math.isnan(r["std"]) else r["std"] for r in results]
    ax.barh(positions, means, color="C0", alpha=0.6, label="skseq (mean)")
    ax.errorbar(
        means,
        positions,
        xerr=stds,
        fmt="none",
        ecolor="k",
        capsize=3,
        label="skseq ± 1 std",
    )
    seeds = [(i, float(v)) for i, r in enumerate(results) for v in r["scores"].split()]
    ax.plot(
        [v for _, v in seeds],
        [i for i, _ in seeds],
        ".",
        color="C0",
        label="skseq, each seed",
    )
    book = [(i, book_number(r["book"]), r["book"]) for i, r in enumerate(results)]
    book = [(i, value, text) for i, value, text in book if value is not None]
    if book:
        ax.errorbar(
            [value for _, value, _ in book],
            [i for i, _, _ in book],
            xerr=[_last_digit(text) for _, _, text in book],
            fmt="D",
            color="C3",
            capsize=3,
            label="book (± rounding)",
        )
    ax.set_yticks(positions, labels, fontsize=8)
    ax.invert_yaxis()
    # right of the axes: inside, it covers the ends of long bars
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
