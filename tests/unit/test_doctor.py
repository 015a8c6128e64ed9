"""The preflight report reads the same in English as before, and speaks Chinese when the learner does."""
import pytest

from ctopath.engine import i18n
from ctopath.tools import doctor


@pytest.fixture
def chinese():
    i18n.set_language("zh")
    yield
    i18n.set_language(None)


def _failing():
    return doctor.Check(doctor.Msg("Packages"), False,
                        doctor.Msg("missing: {names}", names="pandas, numpy"),
                        doctor.Msg("run `make venv` (it installs exactly requirements.lock)"))


def test_a_failed_check_names_its_fix_in_english():
    assert _failing().line() == ("✗ Packages: missing: pandas, numpy\n"
                                 "    fix: run `make venv` (it installs exactly requirements.lock)")
    assert doctor.Check("Python", True, "3.11.7 at /x", "never shown").line() == "✓ Python: 3.11.7 at /x"


def test_the_report_speaks_chinese(chinese):
    assert _failing().line() == "✗ 软件包：缺少：pandas, numpy\n    修复：运行 `make venv`（它严格按 requirements.lock 安装）"
    report = doctor.Report([_failing()])
    assert repr(report).startswith("开课前还有问题需要解决：\n✗ 软件包")
    assert repr(doctor.Report([])).startswith("已为工作坊准备就绪。")


def test_every_real_check_is_translated(chinese):
    checks = doctor.run_checks()
    assert {i18n.tr(c.name) for c in checks} == {"Python", "软件包", "JupyterLab 小部件", "数据", "进度存储"}
    for check in checks:
        assert "fix:" not in check.line() and "：" in check.line(), check.line()


def test_doctor_takes_a_language(capsys):
    try:
        code = doctor.main(["--lang", "zh"])
    finally:
        i18n.set_language(None)
    out = capsys.readouterr().out
    assert out.splitlines()[0] in ("已为工作坊准备就绪。", "开课前还有问题需要解决：")
    assert code in (0, 1)
