"""Show CHANGELOG.md as a page of the docs (``docs/changelog.rst`` includes it).

The changelog is Markdown (headings and bullet lists with inline code), and
myst-parser is not among the docs dependencies, so its few constructs are
rewritten as reStructuredText into ``generated/changelog.inc`` at each build.
"""

import re
from pathlib import Path

_UNDERLINES = {2: "-", 3: "~"}


def markdown_to_rst(text):
    """Convert the changelog's Markdown (headings, bullets, code, links) to rst."""
    lines = []
    for line in text.splitlines():
        heading = re.match(r"(#+) (.*)", line)
        if heading and len(heading.group(1)) == 1:
            continue  # the page has its own title
        if heading:
            title = heading.group(2)
            lines += [title, _UNDERLINES[len(heading.group(1))] * len(title)]
            continue
        line = re.sub(r"(?<!`)`([^`]+)`(?!`)", r"``\1``", line)
        lines.append(re.sub(r"\[([^]]+)\]\(([^)]+)\)", r"`\1 <\2>`__", line))
    return "\n".join(lines) + "\n"


def _write(app):
    source = Path(app.confdir).parent / "CHANGELOG.md"
    target = Path(app.srcdir) / "generated" / "changelog.inc"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = markdown_to_rst(source.read_text(encoding="utf-8"))
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def setup(app):
    app.connect("builder-inited", _write)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
