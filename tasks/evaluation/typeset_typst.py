"""The second typesetter: Typst (the ``typst`` PyPI package ships the compiler).

Nothing here shares code with :mod:`tasks.evaluation.typeset` (reportlab):
line breaking, justification (CJK and Latin, with CJK/Latin spacing and
hyphenation), column flow and font subsetting are Typst's.  This module only

- writes Typst markup (``lit`` quotes text so it is set literally),
- compiles a document with the fonts of one folder (no system fonts), and
  queries the end-of-text markers a document places (to find overflow),
- shuffles the finished PDF's content stream (``shuffle_pdf``): Typst writes
  every text run as its own ``q cm ... BT ... ET Q`` group; each group is moved,
  with its graphics and text state, to a new place in the stream, so stream
  order carries no more than evidence of reading order.

Fonts: a folder holding Noto Serif/Sans CJK (Regular, Bold) and Liberation
Serif/Sans (``apt-get download fonts-noto-cjk fonts-liberation2`` and
``dpkg -x`` each into it), named by ``$BROADSHEET_FONTS``.  Nothing is read
from the system's font folders.
"""

from __future__ import annotations

import json
import os
import random
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

FONT_ENV = "BROADSHEET_FONTS"
DEFAULT_FONT_DIR = Path("/work/fonts")
REQUIRED_FONTS = ("Noto Serif CJK SC", "Noto Sans CJK SC", "Liberation Serif", "Liberation Sans")
# CJK fonts merge runs of em dashes into one glyph; real composing systems set them edge to edge
NO_MERGE = "(liga: 0, clig: 0, dlig: 0, calt: 0, rlig: 0, ccmp: 0, locl: 0)"


def font_dir() -> Path:
    """The folder the fonts are read from (``$BROADSHEET_FONTS``, else /work/fonts)."""
    d = Path(os.environ.get(FONT_ENV) or DEFAULT_FONT_DIR)
    if not d.is_dir():
        raise FileNotFoundError(
            f"no font folder {d}: apt-get download fonts-noto-cjk fonts-liberation2, dpkg -x each into a folder, "
            f"and name it in ${FONT_ENV}"
        )
    return d


def check_fonts(paths: Sequence[Path]) -> None:
    import typst

    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=[str(p) for p in paths])
    families = {f.family for f in fonts.fonts()} if hasattr(fonts, "fonts") else set()
    missing = [f for f in REQUIRED_FONTS if families and f not in families]
    if missing:
        raise FileNotFoundError(f"fonts missing from {paths}: {missing}")


def lit(text: str) -> str:
    """A Typst string literal: set exactly as written (no markup, smart quotes or dash ligatures)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def pt(v: float) -> str:
    return f"{v:.2f}pt"


def marker(key: str) -> str:
    """Markup for an invisible end-of-text marker whose page position ``query_markers`` returns."""
    return f'#context [#metadata((key: {lit(key)}, pos: here().position())) <endpos>]'


@dataclass(frozen=True, slots=True)
class Mark:
    key: str
    page: int
    x: float
    y: float


def _pt_value(s: str) -> float:
    return float(str(s).removesuffix("pt"))


class TypstDoc:
    """One Typst source with its image files, compiled in a private folder."""

    def __init__(self, source: str, images: dict[str, bytes] | None = None):
        self.source = source
        self.images = images or {}

    def _write(self, d: Path) -> Path:
        for name, data in self.images.items():
            (d / name).write_bytes(data)
        p = d / "main.typ"
        p.write_text(self.source, encoding="utf-8")
        return p

    def query_markers(self) -> dict[str, Mark]:
        import typst

        with tempfile.TemporaryDirectory() as tmp:
            main = self._write(Path(tmp))
            raw = typst.query(str(main), "<endpos>", field="value", font_paths=[str(font_dir())],
                              ignore_system_fonts=True)
        out = {}
        for v in json.loads(raw):
            pos = v["pos"]
            out[v["key"]] = Mark(v["key"], int(pos["page"]), _pt_value(pos["x"]), _pt_value(pos["y"]))
        return out

    def compile(self, out_pdf: Path) -> None:
        import typst

        with tempfile.TemporaryDirectory() as tmp:
            main = self._write(Path(tmp))
            typst.compile(str(main), output=str(out_pdf), font_paths=[str(font_dir())], ignore_system_fonts=True,
                          pdf_tags=False, timestamp=0)


# --------------------------------------------------------------------------
# content-stream shuffling
# --------------------------------------------------------------------------

_TEXT_STATE_OPS = {"Tc", "Tw", "Tz", "TL", "Tf", "Tr", "Ts"}
_COLOR_OPS = {"cs", "CS", "sc", "SC", "scn", "SCN", "g", "G", "rg", "RG", "k", "K", "gs"}


def _mul(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, ...]:
    """Matrix product a x b (PDF order: a applied first)."""
    a0, a1, a2, a3, a4, a5 = a
    b0, b1, b2, b3, b4, b5 = b
    return (a0 * b0 + a1 * b2, a0 * b1 + a1 * b3, a2 * b0 + a3 * b2, a2 * b1 + a3 * b3,
            a4 * b0 + a5 * b2 + b4, a4 * b1 + a5 * b3 + b5)


@dataclass(slots=True)
class TextGroup:
    """One BT..ET with the state it was drawn in."""

    ctm: tuple[float, ...]
    prefix: list  # colour and text-state instructions in force
    body: list  # BT .. ET instructions
    x: float  # page position of the text origin (x, y from the top)
    top: float


def split_text_groups(pdf, page) -> tuple[list, list[TextGroup]]:
    """(the page's other instructions, its text groups); the others keep their order."""
    import pikepdf

    ops = pikepdf.parse_content_stream(page)
    height = float(page.mediabox[3]) - float(page.mediabox[1])
    ctm: tuple[float, ...] = (1, 0, 0, 1, 0, 0)
    stack: list[tuple[tuple[float, ...], dict, dict]] = []
    color: dict[str, list] = {}
    tstate: dict[str, list] = {}
    rest: list = []
    groups: list[TextGroup] = []
    body: list | None = None
    for operands, op in ops:
        name = str(op)
        if body is not None:
            body.append((operands, op))
            if name in _TEXT_STATE_OPS:
                tstate[name] = (operands, op)
            if name == "ET":
                tm = _first_tm(body)
                origin = _mul(tm, ctm)
                prefix = list(color.values()) + [v for k, v in tstate.items()]
                groups.append(TextGroup(ctm, prefix, body, origin[4], height - origin[5]))
                body = None
            continue
        if name == "BT":
            body = [(operands, op)]
            continue
        if name == "q":
            stack.append((ctm, dict(color), dict(tstate)))
        elif name == "Q":
            if stack:
                ctm, color, tstate = stack.pop()
        elif name == "cm":
            ctm = _mul(tuple(float(v) for v in operands), ctm)
        elif name in _COLOR_OPS:
            if name in ("cs", "CS"):
                color[name] = (operands, op)
                color.pop("scn" if name == "cs" else "SCN", None)
            else:
                color[name] = (operands, op)
        elif name in _TEXT_STATE_OPS:
            tstate[name] = (operands, op)
        rest.append((operands, op))
    return rest, groups


def _first_tm(body: list) -> tuple[float, ...]:
    for operands, op in body:
        if str(op) == "Tm":
            return tuple(float(v) for v in operands)
    return (1, 0, 0, 1, 0, 0)


def _strip_empty_pairs(ops: list) -> list:
    """Drop ``q`` ... ``Q`` pairs left holding only state changes (their text moved away)."""
    changed = True
    while changed:
        changed = False
        out: list = []
        stack: list[int] = []
        drawn: list[bool] = []
        for operands, op in ops:
            name = str(op)
            if name == "q":
                stack.append(len(out))
                drawn.append(False)
                out.append((operands, op))
            elif name == "Q" and stack:
                start = stack.pop()
                had = drawn.pop()
                if not had:
                    del out[start:]
                    changed = True
                else:
                    out.append((operands, op))
                    if drawn:
                        drawn[-1] = True
            else:
                out.append((operands, op))
                if name not in ("cm", "w", "J", "j", "M", "d", "ri", "i") and name not in _COLOR_OPS \
                        and name not in _TEXT_STATE_OPS and drawn:
                    drawn[-1] = True
        ops = out
    return ops


def shuffle_pdf(path: Path, order: Callable[[int, list[TextGroup]], list[int]]) -> None:
    """Rewrite each page's content stream: other drawing first, in its order, then the text
    groups in the order ``order(page_index, groups)`` gives (a permutation of indices)."""
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for i, page in enumerate(pdf.pages):
            rest, groups = split_text_groups(pdf, page)
            perm = order(i, groups)
            if sorted(perm) != list(range(len(groups))):
                raise ValueError("order must be a permutation of the text groups")
            ops = _strip_empty_pairs(rest)
            for gi in perm:
                g = groups[gi]
                ops.append(([], pikepdf.Operator("q")))
                ops.append(([round(v, 4) for v in g.ctm], pikepdf.Operator("cm")))
                ops.extend(g.prefix)
                ops.extend(g.body)
                ops.append(([], pikepdf.Operator("Q")))
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
        pdf.save(path, deterministic_id=True)


def chunked_order(rng: random.Random, keys: list[str], mix: str) -> list[int]:
    """A permutation of text groups labelled by ``keys`` (their frame: article, furniture ...).

    ``mix``: ``frames`` -- frames in random order, each frame's runs in order;
    ``chunks`` -- each frame also cut into 2-4 chunks that are shuffled among all chunks;
    ``runs`` -- every run anywhere.
    """
    idx = list(range(len(keys)))
    if mix == "runs":
        rng.shuffle(idx)
        return idx
    frames: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        frames.setdefault(k, []).append(i)
    pieces: list[list[int]] = []
    for k, members in frames.items():
        if mix == "chunks" and len(members) >= 4:
            n = rng.randint(2, min(4, len(members) // 2))
            cuts = sorted(rng.sample(range(1, len(members)), n - 1))
            bounds = [0, *cuts, len(members)]
            parts = [members[a:b] for a, b in zip(bounds, bounds[1:])]
            rng.shuffle(parts)
            pieces.extend(parts)
        else:
            pieces.append(members)
    rng.shuffle(pieces)
    return [i for p in pieces for i in p]


def hyphens_as_printed(path: Path) -> None:
    """Map the hyphen glyph to U+002D in every ToUnicode CMap.

    Typst names the hyphen glyph after its first use: U+00AD (soft hyphen) when
    that was a line-break hyphen, and then a printed hyphen (FAA-approved) reads
    as U+00AD too, which a reader drops. Composing systems map it to '-'.
    """
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        done: set = set()
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                tu = font.get("/ToUnicode")
                if tu is None or tu.objgen in done:
                    continue
                done.add(tu.objgen)
                data = tu.read_bytes()
                # only the Unicode side of a mapping: "<glyph> <00AD>" or "<lo> <hi> <00AD>"
                fixed = re.sub(rb"(<[0-9A-Fa-f]+>[ \t]+)<00[Aa][Dd]>", rb"\1<002D>", data)
                if fixed != data:
                    tu.write(fixed)
        pdf.save(path, deterministic_id=True)

