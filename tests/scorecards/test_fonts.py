"""The Chinese font of the PDFs: embedded when Debian's fonts-wqy-microhei is installed, else Adobe's standard one."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from orchestration.lib.scorecards.fonts import (
    EMBEDDED_FONT,
    EMBEDDED_FONT_FILE,
    STANDARD_CID_FONT,
    chinese_font,
)

TEXT = "月度绩效考核 陈明博 10012 总分 55.6 不合格 Fail"


def written_and_read_back(font: str, path: Path) -> str:
    canvas = Canvas(str(path))
    canvas.setFont(font, 12)
    canvas.drawString(72, 720, TEXT)
    canvas.save()
    return PdfReader(path).pages[0].extract_text()


def test_the_font_in_use_writes_chinese_that_reads_back(tmp_path):
    font = chinese_font()
    assert font == (EMBEDDED_FONT if EMBEDDED_FONT_FILE.exists() else STANDARD_CID_FONT)
    assert TEXT in written_and_read_back(font, tmp_path / "in_use.pdf")


def test_without_the_font_file_the_standard_chinese_font_is_used(tmp_path):
    font = chinese_font(tmp_path / "no-such-font.ttc")
    assert font == STANDARD_CID_FONT
    assert TEXT in written_and_read_back(font, tmp_path / "standard.pdf")
