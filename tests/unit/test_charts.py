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


def test_show_gives_a_figure_its_text_alternative(monkeypatch):
    import matplotlib.pyplot as plt
    from IPython import display as ipy_display

    from ctopath import charts as charts_module

    shown = []
    monkeypatch.setattr(ipy_display, "display", lambda obj, raw=False: shown.append((obj, raw)))
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3])
    charts_module.show(fig, alt='Line "up" from 1 to 3 & more')
    (bundle, raw), = shown
    assert raw and bundle["text/html"].startswith('<img class="ctopath-figure" alt="Line &quot;up&quot; from 1 to 3 &amp; more"')
    assert bundle["image/png"] and "data:image/png;base64," in bundle["text/html"]
    assert not plt.get_fignums(), "the figure is closed, so the inline backend does not draw it a second time"


def test_every_stored_figure_has_a_text_alternative():
    """A lesson or answer notebook never stores a bare PNG: a screen reader would announce nothing."""
    import json
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    figures = 0
    for path in [*root.glob("notebooks/*.ipynb"), *root.glob("exercises/answers/*.ipynb")]:
        for i, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                if "image/png" in data:
                    figures += 1
                    alt = re.search(r'<img [^>]*alt="([^"]{20,})"', "".join(data.get("text/html", "")))
                    assert alt, f"{path.name} cell {i}: a figure without alt text (show it with charts.show)"
    assert figures >= 8
