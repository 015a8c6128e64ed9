"""Lesson 00's article map: boxes apart, every text inside its box, Chinese terms only where a font draws them."""
import itertools
import re
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from ctopath import charts  # noqa: E402
from ctopath.models import career  # noqa: E402

CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _drawn(monkeypatch, fonts):
    monkeypatch.setattr(charts, "_cjk_font", lambda: list(fonts))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is a UserWarning: fail on it
        fig = charts.article_map()
        fig.canvas.draw()
    return fig


def _check_layout(fig):
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    patches = {p.get_gid(): p.get_window_extent(renderer) for p in ax.patches}
    assert len(patches) == len(career.STAGES) + len(career.PHASES) + len(career.DUTIES)
    for (a, box_a), (b, box_b) in itertools.combinations(patches.items(), 2):
        assert not box_a.overlaps(box_b), f"boxes {a} and {b} overlap"
    figure_box = fig.bbox
    for text in ax.texts + fig.texts:
        extent = text.get_window_extent(renderer)
        assert figure_box.contains(extent.x0, extent.y0) and figure_box.contains(extent.x1, extent.y1), \
            f"{text.get_text()!r} runs off the figure"
        gid = text.get_gid() or ""
        if gid.startswith("text:"):
            box = patches[gid[len("text:"):]]
            assert (box.x0 <= extent.x0 and extent.x1 <= box.x1 and box.y0 <= extent.y0 and extent.y1 <= box.y1), \
                f"{text.get_text()!r} does not fit its box {gid}"
        else:  # headings and credit stay clear of every box
            for name, box in patches.items():
                assert not extent.overlaps(box), f"{text.get_text()!r} overlaps box {name}"
    return [t.get_text() for t in ax.texts + fig.texts]


def test_without_a_cjk_font_the_map_is_english_only_and_nothing_overlaps(monkeypatch):
    fig = _drawn(monkeypatch, [])
    try:
        texts = _check_layout(fig)
    finally:
        plt.close(fig)
    assert not [t for t in texts if CJK.search(t)], "Chinese text without a font to draw it shows empty boxes"
    for _, _, en, *_ in career.STAGES + career.PHASES + career.DUTIES:
        assert any(" ".join(en.split()) in " ".join(t.split()) for t in texts), en


def test_with_a_cjk_font_the_map_shows_the_articles_chinese_terms(monkeypatch):
    found = charts._cjk_font()
    if not found:
        pytest.skip("no CJK font installed (Debian: fonts-noto-cjk); .ci/run installs one")
    fig = _drawn(monkeypatch, found)
    try:
        texts = _check_layout(fig)
    finally:
        plt.close(fig)
    joined = "\n".join(texts)
    for _, zh, *_ in career.STAGES + career.PHASES + career.DUTIES:
        assert zh in joined, f"the map lacks the article's term {zh}"
    assert "《CTO 如何帮助业务?》" in joined
