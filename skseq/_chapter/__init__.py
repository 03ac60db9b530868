"""The chapter's result tables, reproduced with skseq (used by ``skseq reproduce``).

Each table module defines ``ROWS`` (one estimator per row of the book's table),
``run(quick, epochs, fitted)`` returning one dict per printed line, ``format_table``,
``NOTES``, ``save_figures(results, fitted, folder)`` and ``FIGURE_FILES`` (the
names of every file ``save_figures`` may write). ``TABLES`` maps the names
accepted by ``skseq reproduce --only`` to those modules.
"""

from . import chorales, ridership, synthetic

TABLES = {"synthetic": synthetic, "ridership": ridership, "chorales": chorales}

__all__ = ["TABLES"]
