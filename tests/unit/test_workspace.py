"""A learner works in git-ignored copies; a new workshop version never overwrites what they changed."""
import json
import subprocess
from pathlib import Path

from ctopath.tools import workspace

ROOT = Path(__file__).resolve().parents[2]


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    for folder in workspace.FOLDERS:
        (repo / folder).mkdir(parents=True)
    (repo / "notebooks" / "00-orientation.ipynb").write_text('{"v": 1}')
    (repo / "exercises" / "01-programmer-exercises.ipynb").write_text('{"v": 1}')
    return repo


def test_first_run_copies_lessons_and_exercises_not_answers(tmp_path):
    done = workspace.prepare(ROOT, tmp_path / "mine")
    names = sorted(p.relative_to(tmp_path / "mine").as_posix() for p in (tmp_path / "mine").rglob("*.ipynb"))
    assert names == sorted(done.copied)
    assert "notebooks/00-orientation.ipynb" in names and "exercises/01-programmer-exercises.ipynb" in names
    assert not any("answers" in n for n in names), "the answer set stays out of the learner's copies"
    assert (tmp_path / "mine" / "notebooks" / "01-programmer.ipynb").read_bytes() == \
        (ROOT / "notebooks" / "01-programmer.ipynb").read_bytes()
    assert "Made your own copies" in done.summary()


def test_rerun_changes_nothing(tmp_path):
    repo = _repo(tmp_path)
    workspace.prepare(repo)
    again = workspace.prepare(repo)
    assert (again.copied, again.updated, again.beside) == ([], [], [])
    assert again.summary() == ""


def test_an_unchanged_copy_takes_the_new_version(tmp_path):
    repo = _repo(tmp_path)
    workspace.prepare(repo)
    (repo / "notebooks" / "00-orientation.ipynb").write_text('{"v": 2}')
    done = workspace.prepare(repo)
    assert done.updated == ["notebooks/00-orientation.ipynb"]
    assert (repo / "my-work" / "notebooks" / "00-orientation.ipynb").read_text() == '{"v": 2}'


def test_a_changed_copy_is_kept_and_the_new_version_goes_beside_it(tmp_path):
    repo = _repo(tmp_path)
    workspace.prepare(repo)
    mine = repo / "my-work" / "exercises" / "01-programmer-exercises.ipynb"
    mine.write_text('{"v": 1, "my answer": 42}')
    (repo / "exercises" / "01-programmer-exercises.ipynb").write_text('{"v": 2}')
    done = workspace.prepare(repo)
    assert mine.read_text() == '{"v": 1, "my answer": 42}', "the learner's work is never overwritten"
    beside = mine.with_name("01-programmer-exercises (new version).ipynb")
    assert beside.read_text() == '{"v": 2}' and "new version" in done.summary()
    assert workspace.prepare(repo).beside == [], "told once, not at every start"
    (repo / "exercises" / "01-programmer-exercises.ipynb").write_text('{"v": 3}')
    assert workspace.prepare(repo).beside == ["exercises/01-programmer-exercises.ipynb"]
    assert beside.read_text() == '{"v": 3}' and mine.read_text() == '{"v": 1, "my answer": 42}'


def test_a_damaged_record_never_costs_work(tmp_path):
    repo = _repo(tmp_path)
    workspace.prepare(repo)
    mine = repo / "my-work" / "notebooks" / "00-orientation.ipynb"
    mine.write_text('{"v": 1, "notes": "mine"}')
    (repo / "my-work" / workspace.RECORD).write_bytes(b"\xff\xfe not json")
    (repo / "notebooks" / "00-orientation.ipynb").write_text('{"v": 2}')
    workspace.prepare(repo)
    assert mine.read_text() == '{"v": 1, "notes": "mine"}'
    assert mine.with_name("00-orientation (new version).ipynb").read_text() == '{"v": 2}'
    assert isinstance(json.loads((repo / "my-work" / workspace.RECORD).read_text()), dict)


def test_git_ignores_the_learners_copies():
    result = subprocess.run(["git", "check-ignore", "-q", "my-work/notebooks/00-orientation.ipynb"], cwd=ROOT)
    assert result.returncode == 0, "my-work/ must be in .gitignore"


def test_what_lab_says_about_my_work_is_in_the_learners_language(tmp_path):
    from ctopath.engine import i18n

    repo = _repo(tmp_path)
    try:
        i18n.set_language("zh")
        done = workspace.prepare(repo)
        assert done.summary().startswith(f"已在 {done.folder}/ 中为你复制了 {len(done.copied)} 个笔记本")
        assert "# my-work：你自己的工作坊副本" in (done.folder / "README.md").read_text(encoding="utf-8")
    finally:
        i18n.set_language(None)
    assert done.summary().startswith(f"Made your own copies of {len(done.copied)} notebooks in {done.folder}/")
