"""Marked ballot pictures, to try ``tinnhiem scan`` and Quét phiếu without a printer.

    python3 scripts/marked_ballots.py phiếu.pdf phiếu.json ảnh/ [--photo] [--seed N]

Takes what ``tinnhiem ballots POLL -o phiếu.pdf --layout phiếu.json`` printed, renders
every page at 200 dpi, marks each row as people do (a cross, a tick, a filled box, light
pencil, a mark over the border, a scribble; some rows blank, some with two boxes marked),
and writes one image per page into the folder: PNG as from a flatbed scanner, or with
``--photo`` JPEG as from a phone (tilted, in perspective, unevenly lit). ``FOLDER-đáp-án.txt``
beside the folder (not in it: the folder holds only images, as a scanner's does) lists what
a careful person reads on each page (its entry: the digit, 0 for none or two), to compare
with ``tinnhiem scan``. The marks and the photo are the test corpus's own
(tests/scan_corpus.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from scan_corpus import degrade, mark_page, random_choices, render, truth

DPI = 200


def answers_file(folder: Path) -> Path:
    """Where the answers of the images in ``folder`` go: beside it."""
    folder = folder.resolve()
    return folder.with_name(folder.name + "-đáp-án.txt")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pdf", type=Path, help="phiếu in ra (tinnhiem ballots … -o)")
    parser.add_argument("layout", type=Path, help="bố cục của phiếu (tinnhiem ballots … --layout)")
    parser.add_argument("folder", type=Path, help="thư mục ghi ảnh")
    parser.add_argument("--photo", action="store_true", help="ảnh chụp điện thoại (JPEG)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    try:
        layout = json.loads(args.layout.read_text(encoding="utf-8"))
        pages = layout["pages"]
        pictures = render(args.pdf.read_bytes(), DPI)
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"Không đọc được phiếu hoặc bố cục: {error}", file=sys.stderr)
        return 2
    levels = len(pages[0]["rows"][0]["boxes"])
    rng = np.random.default_rng(args.seed)
    args.folder.mkdir(parents=True, exist_ok=True)
    answers = []
    for number, picture in enumerate(pictures, start=1):
        rows = pages[(number - 1) % len(pages)]["rows"]
        choices = random_choices(levels, len(rows), rng)
        marked = mark_page(picture, rows, choices, DPI, rng)
        if args.photo:
            name = f"anh-{number:03d}.jpg"
            ok, data = cv2.imencode(".jpg", degrade(marked, "photo", rng))
        else:
            name = f"quet-{number:03d}.png"
            ok, data = cv2.imencode(".png", marked)
        if not ok:
            print(f"Không ghi được ảnh {name}.", file=sys.stderr)
            return 2
        (args.folder / name).write_bytes(data.tobytes())
        answers.append(f"{name}\t{truth(choices)}")
    key = answers_file(args.folder)
    key.write_text("\n".join(answers) + "\n", encoding="utf-8")
    print(f"Đã ghi {len(answers)} ảnh vào {args.folder} (đáp án: {key}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
