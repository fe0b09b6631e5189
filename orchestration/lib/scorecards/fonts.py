"""The font that writes Chinese in the PDFs.

WenQuanYi Micro Hei (Debian package fonts-wqy-microhei) is embedded, subset, when installed: the
page then looks the same in every viewer and on every printer. Without it the PDFs name Adobe's
standard Chinese font STSong-Light, which needs no file but is drawn by the viewer with whatever
Chinese font its machine has (boxes on a machine that has none).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

EMBEDDED_FONT_FILE = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
EMBEDDED_FONT = "WenQuanYiMicroHei"
STANDARD_CID_FONT = "STSong-Light"


@cache
def chinese_font(font_file: Path = EMBEDDED_FONT_FILE) -> str:
    """Register the font with reportlab once and return its name."""
    if font_file.exists():
        pdfmetrics.registerFont(TTFont(EMBEDDED_FONT, str(font_file), subfontIndex=0))
        return EMBEDDED_FONT
    pdfmetrics.registerFont(UnicodeCIDFont(STANDARD_CID_FONT))
    return STANDARD_CID_FONT
