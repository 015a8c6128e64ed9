"""The setup promises: one lock, the same pins in environment.yml, the README's two commands and agenda."""
import re
from pathlib import Path

from ctopath import lockfile
from ctopath.doctor import locked_versions
from ctopath.modules import all_modules

ROOT = Path(__file__).resolve().parents[2]


def test_lock_pins_every_package_exactly():
    lines = [l for l in (ROOT / "requirements.lock").read_text().splitlines() if l and not l.startswith("#")]
    assert len(lines) > 50 and all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[\w.\-+]+", l) for l in lines), \
        "every line of requirements.lock is name==version"
    assert "pyarrow" not in locked_versions(), "pyarrow changes pandas' output: keep it out"
    for direct in ("jupyterlab", "ipywidgets", "pandas", "matplotlib", "nbval", "pytest", "nbclient",
                   "nbformat", "hypothesis", "playwright"):
        assert direct in locked_versions(), direct


def test_environment_yml_says_what_the_lock_says():
    assert (ROOT / "environment.yml").read_text() == lockfile.render(), \
        "environment.yml is stale: run `python -m ctopath.lockfile`"
    pins = dict(re.findall(r"^\s+- ([A-Za-z0-9_.\-]+)==([\w.\-+]+)", (ROOT / "environment.yml").read_text(), re.M))
    assert {k.lower().replace("_", "-"): v for k, v in pins.items()} == locked_versions()


def test_postbuild_installs_the_package():
    text = (ROOT / "postBuild").read_text()
    assert text.startswith("#!") and "set -e" in text and "pip install --no-deps -e ." in text


def test_readme_shows_the_two_commands_first_and_the_agenda_in_module_order():
    readme = (ROOT / "README.md").read_text()
    first_code = readme.index("```")
    assert readme.index("make lab") > first_code and readme.index("make test") > first_code
    assert readme.index("make lab") < readme.index("## ", first_code), "the two commands come first"
    rows = re.findall(r"^\| \[?(\d\d)", readme, re.M)
    assert rows[: len(all_modules())] == [m.number for m in all_modules()], \
        "the README's module table must list the modules in MODULE_ORDER"
    for m in all_modules():
        assert m.title in readme, f"README lacks module {m.number}'s title"


def test_ci_runs_make_test_with_the_browser_required():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "CTOPATH_REQUIRE_BROWSER=1" in ci and "make test" in ci and "chromium" in ci


def test_discussion_prompts_in_lessons_match_module_metadata():
    import nbformat
    for m in all_modules():
        text = "\n".join(c.source for c in nbformat.read(ROOT / m.lesson, as_version=4).cells)
        for prompt in m.discussion:
            assert prompt in text, f"{m.lesson} lacks the discussion prompt {prompt!r}"


def test_make_test_runs_nbval_on_lessons_and_answers():
    """`make test` must not narrow pytest to tests/ (that would silently skip strict nbval)."""
    import tomllib
    testpaths = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["testpaths"]
    assert {"notebooks", "exercises/answers"} <= set(testpaths)
    recipe = (ROOT / "Makefile").read_text().split("\ntest: venv\n", 1)[1].split("\n\n", 1)[0]
    assert "-m pytest" in recipe and "pytest tests" not in recipe, recipe
