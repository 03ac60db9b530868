"""Sphinx configuration of skseq's documentation.

Build (from the repository root)::

    python3 -m pip install -e ".[docs]"
    python3 -m sphinx -W -b html docs docs/_build/html

The gallery scripts (``docs/gallery/plot_*.py``) are run by sphinx-gallery at every
build; they train with a handful of epochs so that the whole build takes about a
minute on two CPU cores.
"""

import sys
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import skseq  # noqa: E402

here = Path(__file__).resolve().parent
sys.path.insert(0, str(here / "_ext"))

project = "skseq"
author = "the skseq developers"
copyright = "the skseq developers"
release = skseq.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "executed_code",  # docs/_ext: the user guide's code runs at build time
    "changelog",  # docs/_ext: CHANGELOG.md as a page
]

# api.rst's ":template: class.rst" is looked up at the top of templates_path
# (under autosummary/ it was silently replaced by autosummary's base.rst).
templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "README.md",
    "gallery/README.rst",
    "walkthrough",
    "**.ipynb_checkpoints",
]
root_doc = "index"

# -- API reference: autosummary stubs, numpydoc rendering ---------------------
autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": True}
autodoc_typehints = "none"
# The right-hand contents list methods as "fit()", not "GRUForecaster.fit()".
toc_object_entries_show_parents = "hide"
# numpydoc would list every method again in an autosummary of its own.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
# Types in "Parameters" are prose ("ndarray of shape (n_samples, ...)"); do not
# try to cross-reference each word.
numpydoc_xref_param_type = False
numpydoc_validation_checks = set()

default_role = "literal"
nitpicky = False

# -- Links to other projects' docs ----------------------------------------------
# Offline: CI builds without network, so each inventory is a small local file
# written by docs/_inv/make_inventories.py (the names skseq's docs use), not the
# project's objects.inv. Keys are the module names, as sphinx-gallery expects.
intersphinx_mapping = {
    "sklearn": ("https://scikit-learn.org/stable/", "_inv/sklearn.inv"),
    "numpy": ("https://numpy.org/doc/stable/", "_inv/numpy.inv"),
    "pandas": ("https://pandas.pydata.org/docs/", "_inv/pandas.inv"),
    "keras": ("https://keras.io/", "_inv/keras.inv"),
}

# -- Gallery -------------------------------------------------------------------
sys.path.insert(0, str(here))
sphinx_gallery_conf = {
    "examples_dirs": ["gallery"],
    "gallery_dirs": ["auto_examples"],
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    # "Examples using X" on each API page (the autosummary templates add a
    # minigallery of the examples that use X).
    "backreferences_dir": "generated/backreferences",
    "doc_module": ("skseq",),
    "reference_url": {"skseq": None},
    "matplotlib_animations": False,
    "show_memory": False,
    "min_reported_time": 1,
}

# -- HTML ----------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"skseq {release}"
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
    "secondary_sidebar_items": ["page-toc"],
}
html_show_sourcelink = False
# Pages without subpages: no empty "Section Navigation" column beside them.
html_sidebars = {
    "getting_started": [],
    "command_line": [],
    "benchmarks": [],
    "changelog": [],
}
html_static_path = ["_static"]
html_css_files = ["skseq.css"]

# The gallery draws to files only.
warnings.filterwarnings("ignore", category=UserWarning, message=".*Matplotlib.*")


def _skip_foreign_members(app, what, name, obj, skip, options):
    """Document only what skseq defines: not the methods of sklearn's or Keras'
    base classes (their docstrings use their own projects' cross-references)."""
    if what != "class" or skip:
        return None
    target = getattr(obj, "fget", obj)  # properties: the getter's module
    module = getattr(target, "__module__", None) or ""
    return None if module.startswith("skseq") else True


def setup(app):
    app.connect("autodoc-skip-member", _skip_foreign_members)
