"""The printed page shared by permits and decision letters (fpdf2): Letter size, a masthead, labelled
facts, ruled tables, a QR code drawn as vector squares (segno), and a footer on every page.

DejaVu Sans (subset to Latin scripts, in ``fonts/``, Bitstream Vera licence) is embedded so names
such as "Baykar Makina Sanayi ve Ticaret A.Ş." and the French text print as written; a character
the font lacks is transliterated (anyascii) rather than dropped.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import cache
from importlib.resources import as_file, files

import segno
from anyascii import anyascii
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from exportguard import i18n
from exportguard.i18n import _

FONT = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
INK = (20, 20, 20)
RULE = (120, 120, 120)
SHADE = (235, 235, 235)
Translate = Callable[[str], str]
_SEPARATORS = str.maketrans("", "", ",.\u202f\u00a0")


# The last documents rendered, by a digest of everything they print (their facts, the language, the
# link): a permit version's document never changes, and subsetting the fonts costs ~0.1 s each time.
_RENDERED: OrderedDict[str, bytes] = OrderedDict()
_RENDERED_MAX = 128


def remembered(facts: str, build: Callable[[], bytes]) -> bytes:
    """``build()``'s PDF, or the same bytes again when ``facts`` (all it prints) were rendered before."""
    key = hashlib.sha256(f"{i18n.current_locale()}\n{facts}".encode()).hexdigest()
    found = _RENDERED.get(key)
    if found is None:
        found = build()
        _RENDERED[key] = found
        if len(_RENDERED) > _RENDERED_MAX:
            _RENDERED.popitem(last=False)
    else:
        _RENDERED.move_to_end(key)
    return found


@cache
def _glyphs() -> frozenset[int]:
    with as_file(files("exportguard.reports").joinpath("fonts", FONT_FILES[""])) as path:
        return frozenset(TTFont(path).getBestCmap())


def printable(text: object) -> str:
    """``text`` with every character the embedded font cannot draw transliterated."""
    s = "" if text is None else str(text)
    glyphs = _glyphs()
    return "".join(c if ord(c) in glyphs or c in "\n\t" else anyascii(c) for c in s)


class Sheet(FPDF):
    """One document: ``title`` in the masthead, ``footer_text`` and the page number at the foot."""

    def __init__(self, title: str, footer_text: str, t: Translate | None = None) -> None:
        """``t`` is not needed: the words are gettext's in the current language (exportguard.i18n)."""
        super().__init__(orientation="portrait", unit="mm", format="Letter")
        self.doc_title = title
        self.footer_text = footer_text
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(auto=True, margin=22)
        for style, name in FONT_FILES.items():
            with as_file(files("exportguard.reports").joinpath("fonts", name)) as path:
                self.add_font(FONT, style, str(path))
        self.set_title(printable(title))
        self.set_creator("ExportGuard")
        self.set_text_color(*INK)
        self.add_page()

    def header(self) -> None:
        self.set_font(FONT, "B", 9)
        self.cell(0, 5, printable(_("Government of Canada · Global Affairs Canada")))
        self.ln(5)
        self.set_font(FONT, "", 8)
        self.cell(0, 4, printable(_("Export and Import Permits Act (EIPA), R.S.C. 1985, c. E-19")))
        self.ln(6)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(3)

    def footer(self) -> None:
        self.set_y(-16)
        self.set_font(FONT, "", 7.5)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1.5)
        page = _("Page %(n)s of %(total)s", n=self.page_no(), total="{nb}")
        self.multi_cell(
            self.epw - 30, 3.6, printable(self.footer_text), align="L", new_x=XPos.RIGHT, new_y=YPos.TOP
        )
        self.cell(30, 3.6, printable(page), align="R")

    # -- building blocks -------------------------------------------------------------------------

    def heading(self, text: str, size: float = 16) -> None:
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def section(self, text: str) -> None:
        if self.get_y() > self.h - 50:
            self.add_page()
        self.ln(2)
        self.set_font(FONT, "B", 10.5)
        self.cell(0, 6, printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1.5)

    def paragraph(self, text: str, size: float = 9.5, style: str = "") -> None:
        self.set_font(FONT, style, size)
        self.multi_cell(0, size * 0.5, printable(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def facts(self, rows: Sequence[tuple[str, object]], width: float | None = None) -> None:
        """Label and value pairs, the label in bold in a fixed column."""
        label_w = 46
        total = width or self.epw
        for label, value in rows:
            self.set_font(FONT, "B", 9)
            y = self.get_y()
            x = self.get_x()
            self.multi_cell(label_w, 4.6, printable(label), align="L", new_x=XPos.RIGHT, new_y=YPos.TOP)
            self.set_font(FONT, "", 9.5)
            self.multi_cell(
                total - label_w, 4.6, printable(value), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            self.set_y(max(self.get_y(), y + 4.6) + 0.8)
            self.set_x(x)

    def ruled_table(
        self, heads: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float]
    ) -> None:
        """A ruled table whose header row repeats on each page; numbers right-aligned."""
        total = sum(widths)
        col_widths = tuple(w * self.epw / total for w in widths)
        align = ["RIGHT" if _is_number_column(rows, i) else "LEFT" for i in range(len(heads))]
        self.set_font(FONT, "", 8.5)
        self.set_draw_color(*RULE)
        with self.table(
            col_widths=col_widths,
            text_align=tuple(align),
            headings_style=FontFace(emphasis="BOLD", fill_color=SHADE),
            line_height=4.6,
            padding=1,
            first_row_as_headings=True,
            repeat_headings=1,
            cell_fill_mode="NONE",
        ) as table:
            table.row([printable(h) for h in heads])
            for r in rows:
                table.row([printable(c) for c in r])
        self.ln(2)

    def qr(self, url: str, x: float, y: float, size: float) -> None:
        """``url`` as a QR code (error correction M) of ``size`` mm, drawn square by square."""
        code = segno.make(url, error="m", micro=False)
        matrix = list(code.matrix_iter(scale=1, border=0))
        step = size / len(matrix)
        self.set_fill_color(*INK)
        for row, cells in enumerate(matrix):
            for col, dark in enumerate(cells):
                if dark:
                    self.rect(x + col * step, y + row * step, step, step, style="F")
        self.set_fill_color(255, 255, 255)

    def boxed(self, text: str, size: float = 10) -> None:
        """A shaded box for the one sentence the reader must not miss."""
        self.set_fill_color(*SHADE)
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.55, printable(text), border=1, fill=True, padding=2, align="L")
        self.ln(2)

    def output_bytes(self) -> bytes:
        return bytes(self.output())


def _is_number_column(rows: Sequence[Sequence[object]], i: int) -> bool:
    # Digits grouped the English way (1,200.00) or the French way (1 200,00, narrow no-break spaces).
    bare = [str(r[i]).translate(_SEPARATORS) for r in rows if i < len(r)]
    cells = [c.split(" ")[0] for c in bare]
    return bool(cells) and all(c.isdigit() for c in cells if c)
