"""Fonts for charts in Chinese: a chart's Chinese text is drawn with a font that has the glyphs.

matplotlib's default font (DejaVu Sans) has no Chinese characters, and a missing glyph is drawn as
an empty box. :func:`cjk_fonts` names the fonts with Chinese glyphs that are installed (Noto Sans
CJK on Debian/Ubuntu, PingFang on macOS, Microsoft YaHei on Windows …); :func:`use_cjk_font` gives
every text of a figure that holds Chinese one of them, just before the figure is drawn.
Without such a font, chart texts stay English (see ``ctopath.charts.label``).
"""
from __future__ import annotations

import re
from functools import lru_cache

#: Fonts with Chinese glyphs, best first: Linux, macOS, Windows, then common others.
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "PingFang SC",
             "Hiragino Sans GB", "Microsoft YaHei", "SimHei", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
             "Noto Sans CJK JP", "Noto Sans CJK TC", "Arial Unicode MS")

#: How to get one, said once when a chart in Chinese has to stay English.
INSTALL_HINT = ("Charts stay in English: no font with Chinese characters is installed. To draw them in Chinese, "
                "install one (Debian/Ubuntu: sudo apt install fonts-noto-cjk; macOS has PingFang and Windows "
                "has Microsoft YaHei built in), then restart the kernel.")

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def has_cjk(text: str) -> bool:
    """True when ``text`` holds a Chinese (CJK) character or punctuation."""
    return bool(_CJK.search(str(text)))


@lru_cache(maxsize=1)
def _installed() -> tuple[str, ...]:
    from matplotlib import font_manager

    have = {f.name for f in font_manager.fontManager.ttflist}
    return tuple(name for name in CJK_FONTS if name in have)


def cjk_fonts() -> list[str]:
    """The installed fonts that have Chinese glyphs, best first ([] if there is none)."""
    return list(_installed())


def families(fonts: list[str]) -> list[str]:
    """A font list for Chinese text: the CJK font first, DejaVu Sans for anything it lacks."""
    return [*fonts, "DejaVu Sans"]


def use_cjk_font(fig, fonts: list[str] | None = None) -> None:
    """Give every text of ``fig`` that holds Chinese a font that can draw it (nothing else changes)."""
    from matplotlib.text import Text

    texts = [t for t in fig.findobj(Text) if has_cjk(t.get_text())]
    if not texts:
        return
    fonts = cjk_fonts() if fonts is None else fonts
    if fonts:
        for text in texts:
            text.set_fontfamily(families(fonts))
