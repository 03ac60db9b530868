"""Full-page screenshots of the built docs with headless Chromium, at 1280 px.

Usage: ``python3 docs/walkthrough/shoot.py HTML_DIR OUT_DIR name=page.html ...``

Chromium draws a 1280 x 9000 window; the theme pins the footer to the window's
bottom, so the blank band between the article and the footer is cut out. The
image is then reduced to 256 colours so that each stays a few hundred KB.
"""

import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

WIDTH, HEIGHT = 1280, 9000
ARTICLE = slice(330, 1270)  # columns right of the left sidebar's border


def screenshot(url, png):
    """Draw ``url`` into ``png`` with headless Chromium."""
    subprocess.run(
        [
            "chromium",
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--window-size={WIDTH},{HEIGHT}",
            "--virtual-time-budget=4000",
            f"--screenshot={png}",
            url,
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def longest_blank_run(blank):
    """(length, start) of the longest run of True in ``blank``."""
    best, start = (0, 0), None
    for i, value in enumerate([*blank, False]):
        if value and start is None:
            start = i
        elif not value and start is not None:
            best = max(best, (i - start, start))
            start = None
    return best


def trim(png):
    """Cut the blank band above the footer; reduce to 256 colours."""
    pixels = np.asarray(Image.open(png).convert("RGB")).astype(int)
    background = pixels[-1, WIDTH // 2]
    blank = (np.abs(pixels[:, ARTICLE] - background).sum(axis=2) < 10).all(axis=1)
    length, start = longest_blank_run(blank)
    if length > 200:
        pixels = np.concatenate([pixels[: start + 40], pixels[start + length - 10 :]])
    image = Image.fromarray(pixels.astype(np.uint8))
    image.quantize(256, method=Image.Quantize.FASTOCTREE).save(png, optimize=True)
    return image.size


def main(html_dir, out_dir, pages):
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, page in pages.items():
        png = out_dir / f"{name}.png"
        screenshot((html_dir / page).resolve().as_uri(), png)
        width, height = trim(png)
        print(f"{png.name}: {width} x {height}, {png.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(
        Path(sys.argv[1]),
        Path(sys.argv[2]),
        dict(arg.split("=", 1) for arg in sys.argv[3:]),
    )
