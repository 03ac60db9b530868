"""The ``skseq`` command: reproduce the chapter's tables, show versions.

Usage::

    skseq reproduce                          # every table, full length
    skseq reproduce --quick                  # a smoke test of every table (~3 min)
    skseq reproduce --only synthetic --output results/
    skseq show-versions
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["main"]

DEFAULT_OUTPUT = "skseq-results"


def build_parser():
    """The argument parser of ``skseq`` (its sub-commands read the chapter list)."""
    from ._chapter import TABLES
    from ._version import __version__

    parser = argparse.ArgumentParser(
        prog="skseq",
        description="skseq: the sequence models of 'Processing Sequences Using "
        "RNNs and CNNs' as scikit-learn estimators.",
    )
    parser.add_argument("--version", action="version", version=f"skseq {__version__}")
    # Not required=True: argparse would then answer "--bogus" with "the
    # following arguments are required", never naming the option it refused.
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    reproduce = commands.add_parser(
        "reproduce",
        help="reproduce the chapter's result tables (book vs skseq)",
        description="Fit the chapter's models on the data shipped with skseq, "
        "print the book's figures beside skseq's, and save the tables (CSV, text) "
        "and figures (PNG, when matplotlib is installed) in --output.",
    )
    reproduce.add_argument(
        "--quick",
        action="store_true",
        help="few series and epochs: a smoke test of the pipeline, not a result",
    )
    reproduce.add_argument(
        "--only",
        action="append",
        choices=sorted(TABLES),
        metavar="TABLE",
        help=f"run only this table (repeatable); one of {', '.join(sorted(TABLES))}",
    )
    reproduce.add_argument(
        "--epochs", type=int, help="override the number of (most) training epochs"
    )
    reproduce.add_argument(
        "--output",
        default=DEFAULT_OUTPUT,
        metavar="DIR",
        help=f"folder for the tables and figures (default: ./{DEFAULT_OUTPUT})",
    )
    reproduce.add_argument(
        "--no-figures", action="store_true", help="do not draw the figures"
    )
    reproduce.set_defaults(handler=_reproduce)

    versions = commands.add_parser(
        "show-versions",
        help="print the versions of skseq, its dependencies and the Keras backend",
    )
    versions.set_defaults(handler=_show_versions)
    return parser


def main(argv=None):
    """Entry point of the ``skseq`` console script; returns the exit status.

    Run as the command (``argv=None``, arguments from ``sys.argv``), it drops
    TensorFlow's C++ log lines from stderr with
    :func:`skseq.filter_tensorflow_log`; called with a list of arguments (a
    script, a test) it leaves stderr alone.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.error("choose a COMMAND: reproduce or show-versions")
    if getattr(args, "epochs", None) is not None and args.epochs < 1:
        print("skseq: error: --epochs must be at least 1", file=sys.stderr)
        return 2
    if argv is None:
        from .utils._native_log import filter_tensorflow_log

        filter_tensorflow_log()
    return args.handler(args)


def _show_versions(args):
    from .utils._show_versions import show_versions

    show_versions()
    return 0


def _reproduce(args):
    from ._chapter import TABLES

    names = list(dict.fromkeys(args.only)) if args.only else list(TABLES)
    folder = Path(args.output)
    problem = check_output_folder(folder)
    if problem is not None:  # before any training, not after the first table
        print(f"skseq: error: {problem}", file=sys.stderr)
        return 2
    draw = not args.no_figures and _has_matplotlib()
    if not args.no_figures and not draw:
        print(
            'Figures skipped: matplotlib is not installed (pip install "skseq[plot]").'
        )
    start, finished = time.perf_counter(), []
    try:
        for name in names:
            reproduce_table(
                name, quick=args.quick, epochs=args.epochs, folder=folder, draw=draw
            )
            finished.append(name)
    except KeyboardInterrupt:  # Ctrl-C: one line, not a trace through Keras
        print(_interrupted(folder, finished), file=sys.stderr)
        return 130
    except FloatingPointError as error:  # a seed's network diverged
        print(_diverged(name, error, folder, finished), file=sys.stderr)
        return 1
    print(f"\nAll done in {time.perf_counter() - start:.0f} s; results in {folder}/")
    return 0


def check_output_folder(folder):
    """Create ``folder`` and check that files can be written in it.

    Parameters
    ----------
    folder : path-like
        The ``--output`` folder.

    Returns
    -------
    problem : str or None
        ``None`` when a file could be created (and removed) there, else a
        one-line message naming the folder and the reason.
    """
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass  # a probe, removed on closing
    except FileExistsError:
        return f"--output {folder}: cannot write there (a file, not a folder)"
    except OSError as error:
        return f"--output {folder}: cannot write there ({error.strerror or error})"
    return None


def _interrupted(folder, finished):
    if not finished:
        return "\nskseq: interrupted before any table finished"
    return (
        f"\nskseq: interrupted; finished tables kept in {folder} "
        f"({', '.join(finished)})"
    )


def _diverged(name, error, folder, finished):
    kept = (
        f"; finished tables kept in {folder} ({', '.join(finished)})"
        if finished
        else ""
    )
    return (
        f"\nskseq: error: the {name} table stopped: {error}\nA network diverged "
        f"with the book's settings (its learning rate included), which skseq "
        f"reproduce does not change: please report it with the output of "
        f"'skseq show-versions'{kept}."
    )


def reproduce_table(name, *, quick=False, epochs=None, folder=None, draw=True):
    """Run one of the chapter's tables, print it, save its CSV, text and figures.

    Parameters
    ----------
    name : str
        A key of ``skseq._chapter.TABLES``.
    quick : bool, default=False
        The table's quick mode (a smoke test).
    epochs : int, default=None
        Overrides the table's number of epochs.
    folder : path-like, default=None
        Where ``<name>.csv``, ``<name>.txt`` and the figures go; nothing is saved
        when ``None``.
    draw : bool, default=True
        Save the figures (needs matplotlib).

    Returns
    -------
    results : list of dict
        One dict per line of the table.
    """
    from ._chapter import TABLES
    from ._chapter._common import figure_note, write_csv

    table = TABLES[name]
    fitted = {}
    start = time.perf_counter()
    results, settings = table.run(quick=quick, epochs=epochs, fitted=fitted)
    text = "\n".join(
        [
            table.describe(settings) + (" (--quick: a smoke test)" if quick else ""),
            table.format_table(results),
            *table.NOTES,
        ]
    )
    print(f"\n{text}")
    print(f"Time: {time.perf_counter() - start:.0f} s")
    if folder is not None:
        folder = Path(folder)
        write_csv(results, folder / f"{name}.csv")
        (folder / f"{name}.txt").write_text(text + "\n")
        # An earlier run's figures would stay beside these tables (with
        # --no-figures, or where a figure is not drawn) showing its numbers.
        for stale in table.FIGURE_FILES:
            (folder / stale).unlink(missing_ok=True)
        if draw:
            import matplotlib

            matplotlib.use("Agg")  # files only: never open a window
            note = "--quick: a smoke test, not the book's settings" if quick else None
            with figure_note(note):
                paths = table.save_figures(results, fitted, folder)
            for path in paths:
                print(f"Saved {path}")
    return results


def _has_matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
