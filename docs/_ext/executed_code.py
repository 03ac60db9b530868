"""A Sphinx directive that runs a page's code at build time, like a notebook cell.

``.. executed-code::`` shows its Python code, runs it, and shows below it what the
code printed, the value of its last line (as a notebook cell does) and the
matplotlib figures it left open. The blocks of one page share one namespace, in
order, so a page reads as a short notebook; each page starts from an empty one.

An exception or a Python warning raised by the code is a Sphinx warning, so that
``sphinx -W`` fails on a page whose code no longer runs cleanly.

Why not an existing tool: jupyter-sphinx and myst-nb are not among the docs
dependencies, matplotlib's ``plot`` directive shows figures but not printed output,
and IPython's ``ipython`` directive splits code into prompts line by line, which
breaks on comments inside multi-line statements and makes the code harder to copy.
"""

import ast
import contextlib
import io
import traceback
import warnings
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

FIGURE_DIR = "_executed"  # under the source directory; ignored by git
_NAMESPACES = {}


def _run(code, namespace):
    """Run ``code`` in ``namespace``; return (printed text, repr of last value)."""
    tree = ast.parse(code)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        exec(compile(tree, "<executed-code>", "exec"), namespace)
        value = (
            eval(compile(last, "<executed-code>", "eval"), namespace) if last else None
        )
    return stdout.getvalue(), "" if _is_silent(value) else repr(value)


def _is_silent(value):
    """Whether a last value goes unshown: None, and plots (their figure is shown)."""
    if isinstance(value, (list, tuple)) and value:
        value = value[0]
    module = type(value).__module__ or ""
    return value is None or module.startswith(("matplotlib", "skseq.plotting"))


def _save_figures(docname, counter, srcdir):
    """Save and close the open matplotlib figures; return their paths from srcdir."""
    import matplotlib.pyplot as plt

    uris = []
    for number in plt.get_fignums():
        name = f"{docname.replace('/', '-')}-{counter}-{number}.png"
        path = Path(srcdir) / FIGURE_DIR / name
        path.parent.mkdir(parents=True, exist_ok=True)
        plt.figure(number).savefig(path, dpi=96, bbox_inches="tight")
        uris.append(f"/{FIGURE_DIR}/{name}")
    plt.close("all")
    return uris


class ExecutedCode(SphinxDirective):
    """Show, run and show the output of a block of Python code."""

    has_content = True
    option_spec = {"hide-code": directives.flag, "hide-output": directives.flag}

    def run(self):
        env = self.env
        code = "\n".join(self.content)
        namespace = _NAMESPACES.setdefault(env.docname, {"__name__": "__main__"})
        counter = namespace["__block__"] = namespace.get("__block__", 0) + 1
        result = []
        if "hide-code" not in self.options:
            source = nodes.literal_block(code, code, language="python")
            source["classes"].append("executed-source")
            result.append(source)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                # Keras' tensors under NumPy 2 (keras-team/keras): ignored by the
                # test suite too (pyproject.toml's filterwarnings)
                warnings.filterwarnings(
                    "ignore",
                    "__array__ implementation doesn't accept a copy keyword",
                    DeprecationWarning,
                )
                printed, shown = _run(code, namespace)
        except Exception:
            logger.warning(
                "executed-code raised:\n%s",
                traceback.format_exc(),
                location=self.get_location(),
            )
            return result
        for warning in caught:
            logger.warning(
                "executed-code warned: %s: %s",
                warning.category.__name__,
                warning.message,
                location=self.get_location(),
            )
        output = (printed + shown).rstrip("\n")
        if output and "hide-output" not in self.options:
            block = nodes.literal_block(output, output, language="none")
            block["classes"].append("executed-output")
            result.append(block)
        for uri in _save_figures(env.docname, counter, env.srcdir):
            result.append(nodes.image(uri=uri, classes=["executed-figure"]))
        return result


def _forget(app, env, docname):
    _NAMESPACES.pop(docname, None)


def _drop_namespace(app, doctree):
    """Free a page's models and data once the page is read."""
    _NAMESPACES.pop(app.env.docname, None)


def _configure_pandas():
    """Print frames as a wide notebook would, within the page's width."""
    import pandas as pd

    pd.set_option("display.width", 78)
    pd.set_option("display.max_columns", 12)


def setup(app):
    _configure_pandas()
    app.add_directive("executed-code", ExecutedCode)
    app.connect("env-purge-doc", _forget)
    app.connect("doctree-read", _drop_namespace)
    return {"version": "1.0", "parallel_read_safe": False, "parallel_write_safe": True}
