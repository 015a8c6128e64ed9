"""The Chinese edition in a real JupyterLab whose interface is Chinese: an exercise done in Chinese,
its buttons found by their Chinese accessible names, and its record shared with the English edition."""
import json

import pytest

from ctopath import registry

pytestmark = pytest.mark.browser
NOTEBOOK = "zh/exercises/01-programmer-exercises.ipynb"


def test_an_exercise_in_chinese_wrong_then_right(open_notebook_zh, lab_zh):
    ex = registry()["01.3"]
    right = f"{ex.reference_answer():.2f}"
    wrong = f"{ex.reference_answer() / 100:.4f}"  # the fraction-for-percent slip

    nb = open_notebook_zh(NOTEBOOK)
    # JupyterLab itself speaks Chinese (the zh-CN language pack, chosen as `ctopath lab --lang zh` does).
    assert nb.page.get_by_role("menuitem", name="文件", exact=True).count() == 1
    nb.run_all()
    box = nb.exercise("01.3")
    nb.page.wait_for_function(  # the exercise's heading, in Chinese
        "sel => [...document.querySelectorAll(sel)].some(e => e.textContent.includes('练习 01.3'))",
        arg=nb.selector("01.3"))
    nb.type_answer("01.3", wrong)
    nb.press("01.3", "检查")
    text = nb.wait_feedback("01.3", "还不对")
    assert not any(word in text for word in ("Not yet", "fraction", "percentage")), text

    nb.type_answer("01.3", right)
    nb.press_with_keyboard("01.3", "检查")
    assert "正确" in nb.wait_feedback("01.3", "正确")
    for name in ("提示", "查看答案", "重置"):
        assert box.get_by_role("button", name=name, exact=True).count() == 1, name

    # Restart & Run All: the answer comes back from the store, its feedback in Chinese.
    nb.restart_and_run_all()
    text = nb.wait_feedback("01.3", "已恢复")
    assert "正确" in text and "Restored" not in text
    assert nb.exercise("01.3").locator("input[type=text]").first.input_value() == right

    # One record for both editions: the store holds 01.3 under its id, whatever the language.
    record = json.loads(lab_zh["progress"].read_text(encoding="utf-8"))
    assert json.dumps(record, ensure_ascii=False).count('"01.3"') >= 1
