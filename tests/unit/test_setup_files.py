"""The setup promises: one lock, the same pins in environment.yml, the README's two commands and agenda."""
import re
from pathlib import Path

from ctopath.tools import lockfile
from ctopath.tools.doctor import canonical, locked_versions
from ctopath.course import all_modules

ROOT = Path(__file__).resolve().parents[2]


def test_lock_pins_every_package_exactly_with_hashes():
    text = (ROOT / "requirements.lock").read_text()
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 4)[4].strip())
    assert len(blocks) > 50
    for block in blocks:
        first, *hashes = block.splitlines()
        assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[\w.\-+]+ \\", first), f"not name==version: {first!r}"
        assert hashes and all(re.fullmatch(r"    --hash=sha256:[0-9a-f]{64}( \\)?", h) for h in hashes), first
    pins = locked_versions()
    assert len(pins) == len(blocks)
    assert "pyarrow" not in pins, "pyarrow changes pandas' output: keep it out"
    for direct in ("jupyterlab", "ipywidgets", "pandas", "matplotlib", "nbval", "pytest", "nbclient",
                   "nbformat", "hypothesis", "playwright", "pip", "uv", "setuptools"):
        assert direct in pins, direct


def test_make_venv_installs_the_lock_with_every_hash_checked():
    recipe = (ROOT / "Makefile").read_text().split("\n$(STAMP):", 1)[1].split("\n\n", 1)[0]
    bootstrap = next(line for line in recipe.splitlines() if "requirements-bootstrap.lock" in line and "pip install" in line)
    assert "--require-hashes" in bootstrap, bootstrap
    assert "uv pip sync" in recipe and "--require-hashes requirements.lock" in recipe


def test_files_written_from_the_lock_are_current():
    assert (ROOT / "environment.yml").read_text() == lockfile.render(), \
        "environment.yml is stale: run `python -m ctopath lock`"
    assert (ROOT / "requirements-bootstrap.lock").read_text() == lockfile.render_bootstrap(), \
        "requirements-bootstrap.lock is stale: run `python -m ctopath lock`"


def test_environment_yml_is_lean_and_pinned_as_the_lock():
    """Binder gets what a learner needs (runtime + JupyterLab) at the lock's versions, nothing for tests."""
    text = (ROOT / "environment.yml").read_text()
    pins = {canonical(k): v for k, v in re.findall(r"^\s+- ([A-Za-z0-9_.\-]+)==([\w.\-+]+)", text, re.M)}
    lock = locked_versions()
    assert all(lock.get(name) == version for name, version in pins.items()), "environment.yml differs from the lock"
    for needed in ("jupyterlab", "ipykernel", "ipywidgets", "pandas", "matplotlib", "mistune", "filelock"):
        assert needed in pins, needed
    for not_for_learners in ("pytest", "nbval", "hypothesis", "playwright", "jupyterhub", "uv"):
        assert not_for_learners not in pins, not_for_learners
    assert "-e ." not in text, "an editable install in environment.yml defeats repo2docker's environment layer"


def test_postbuild_installs_the_package_once():
    text = (ROOT / "postBuild").read_text()
    assert text.startswith("#!") and "set -e" in text
    installs = [line for line in text.splitlines() if line.strip().startswith("pip install")]
    assert installs == ["pip install --no-deps ."], installs


def test_the_kernel_needs_no_tool_or_test_package():
    """What a learner's kernel imports is the package's runtime set; tools and tests are extras."""
    import tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {canonical(re.split(r"[<>=!~ \[]", d, 1)[0]) for d in project["dependencies"]}
    assert not runtime & {"jupyterlab", "nbclient", "nbformat", "psutil", "pytest", "playwright"}, runtime
    assert {"lab", "tools", "test", "hub"} <= set(project["optional-dependencies"])


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


def test_make_test_runs_the_quick_checks_first():
    """ruff and the --check commands run in `make test` exactly as pre-commit runs them."""
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\ntest: venv\n", 1)[1].split("\n\n", 1)[0]
    assert "check" in recipe.splitlines()[0]
    check = makefile.split("\ncheck: venv\n", 1)[1].split("\n\n", 1)[0]
    hooks = (ROOT / ".pre-commit-config.yaml").read_text()
    for command in ("ruff check src tests", "ctopath release --check", "ctopath lock --check", "ctopath agenda --check"):
        assert command in check, f"make check lacks {command}"
        assert command in hooks, f"the pre-commit config lacks {command}"


def test_a_checkout_or_a_copy_of_the_workshop_reads_its_own_data(tmp_path, monkeypatch):
    """Without a shipped copy (checkout, editable install, a JupyterHub home) the repository's files
    are read, even where the copy has no pyproject.toml."""
    from ctopath import shipped

    monkeypatch.setattr(shipped, "REPO", tmp_path)
    (tmp_path / "data").mkdir()
    assert shipped.repo_or_shipped("data") == tmp_path / "data"
    assert shipped.repo_or_shipped("requirements.lock") == tmp_path / "requirements.lock"
