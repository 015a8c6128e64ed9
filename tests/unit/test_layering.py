"""The layers stay apart: the engine imports nothing of the course; models import no widgets;
the library imports no tools; a module's folder builds only on the modules before it."""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "ctopath"
UI = ("ipywidgets", "anywidget", "IPython", "matplotlib.pyplot")


def imports(file: Path) -> set[str]:
    """Every module ``file`` imports, anywhere in it (lazy imports inside functions too), made absolute."""
    package = ".".join(("ctopath", *file.relative_to(PACKAGE).parent.parts))
    found = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def test_the_engine_imports_nothing_of_the_course():
    files = sorted((PACKAGE / "engine").glob("*.py"))
    assert {f.stem for f in files} >= {"exercise", "widgets", "controls", "progress", "errors"}
    for file in files:
        course = sorted(m for m in imports(file) if m.startswith("ctopath") and not m.startswith("ctopath.engine"))
        assert not course, f"engine/{file.name} imports the course: {course}"


def test_models_import_no_widgets_and_no_course_modules():
    files = sorted((PACKAGE / "models").glob("*.py"))
    assert len(files) > 10
    for file in files:
        found = imports(file)
        ui = sorted(m for m in found if m.startswith(UI) or m.startswith(("ctopath.engine.widgets",
                                                                            "ctopath.engine.controls")))
        assert not ui, f"models/{file.name} imports widgets: {ui}"
        course = sorted(m for m in found if m.startswith(("ctopath.course", "ctopath.lesson", "ctopath.tools")))
        assert not course, f"models/{file.name} imports the course's modules: {course}"


def test_the_checker_finds_a_forbidden_import(tmp_path):
    """The test above can fail: an engine file importing the course is seen, lazy or not."""
    engine = tmp_path / "src" / "ctopath" / "engine"
    engine.mkdir(parents=True)
    bad = engine / "bad.py"
    bad.write_text("def f():\n    from ..course import all_modules\n    from . import widgets\n")
    global PACKAGE
    saved, PACKAGE = PACKAGE, tmp_path / "src" / "ctopath"
    try:
        found = imports(bad)
    finally:
        PACKAGE = saved
    assert "ctopath.course.all_modules" in found and "ctopath.engine.widgets" in found


def test_the_library_imports_no_tools():
    """Tools (release, datagen, room, ...) sit on top: only the command line and other tools import them."""
    files = [f for f in PACKAGE.rglob("*.py") if "tools" not in f.relative_to(PACKAGE).parts and f.name != "cli.py"]
    assert len(files) > 40
    for file in files:
        tools = sorted(m for m in imports(file) if m.startswith("ctopath.tools"))
        assert not tools, f"{file.relative_to(PACKAGE)} imports a tool: {tools}"


def test_each_module_folder_builds_only_on_earlier_modules():
    folders = sorted(p for p in (PACKAGE / "course").iterdir() if p.is_dir() and p.name[:1] == "m")
    assert [f.name[:3] for f in folders] == ["m00", "m01", "m02", "m03", "m04", "m05", "m06"]
    for folder in folders:
        assert (folder / "exercises.py").exists(), f"{folder.name} has no exercises.py"
        for file in folder.glob("*.py"):
            for m in imports(file):
                parts = m.split(".")
                if len(parts) > 2 and parts[:2] == ["ctopath", "course"] and parts[2][:1] == "m" and parts[2][1:3].isdigit():
                    assert parts[2] <= folder.name, f"{folder.name}/{file.name} imports a later module: {m}"
