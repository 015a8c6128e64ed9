"""The package installs anywhere: a wheel built from the sdist, in a fresh venv outside the repository,
passes the doctor and runs a learner notebook."""
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UV = Path(sys.executable).with_name("uv")

pytestmark = pytest.mark.notebooks


def _run(cmd, **kw):
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=300, **kw)
    assert result.returncode == 0, f"{cmd[:3]} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    if not UV.exists():
        pytest.fail("uv is missing from the venv: run `make venv` (it installs requirements.lock)")
    out = tmp_path_factory.mktemp("dist")
    _run([UV, "build", "--quiet", "--out-dir", out, ROOT])  # the sdist, then the wheel built from it
    (whl,) = out.glob("ctopath-*.whl")
    return whl


def test_the_wheel_ships_the_data_and_the_lock(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    data_files = sorted(p.name for p in (ROOT / "data").iterdir() if p.suffix == ".csv")
    assert len(data_files) >= 30
    missing = [n for n in data_files + ["README.md", "SHA256SUMS"] if f"ctopath/_shipped/data/{n}" not in names]
    assert not missing, f"the wheel lacks data files: {missing}"
    assert "ctopath/_shipped/requirements.lock" in names


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> tuple[Path, dict, Path]:
    """A fresh venv in a temporary home: the wheel with JupyterLab, at the lock's versions."""
    home = tmp_path_factory.mktemp("elsewhere")
    venv = home / "venv"
    _run([UV, "venv", "--quiet", "--python", sys.executable, venv])
    python = venv / "bin" / "python"
    _run([UV, "pip", "install", "--quiet", "--python", python, f"{wheel}[lab]", "--constraints", ROOT / "requirements.lock"])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CTOPATH_", "PYTHON", "VIRTUAL_ENV", "JUPYTER"))}
    env.update(CTOPATH_PROGRESS=str(home / "progress.json"), HOME=str(home), PATH=f"{venv / 'bin'}:{env['PATH']}")
    return venv, env, home


def test_the_doctor_passes_in_a_venv_outside_the_repository(installed):
    venv, env, home = installed
    result = _run([venv / "bin" / "python", "-m", "ctopath.tools.doctor"], cwd=home, env=env)
    assert "Ready for the workshop" in result.stdout, result.stdout
    data_line = next(line for line in result.stdout.splitlines() if "Data:" in line)
    assert "_shipped" in data_line and str(ROOT) not in data_line, data_line


def test_a_learner_notebook_runs_from_the_installed_package(installed, tmp_path):
    venv, env, _ = installed
    notebook = tmp_path / "01-programmer-exercises.ipynb"
    notebook.write_bytes((ROOT / "exercises" / notebook.name).read_bytes())
    _run([venv / "bin" / "jupyter", "nbconvert", "--to", "notebook", "--execute", "--output", "ran.ipynb",
          notebook], cwd=tmp_path, env=env)
    ran = json.loads((tmp_path / "ran.ipynb").read_text(encoding="utf-8"))
    errors = [o for c in ran["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors, errors[0]
    shown = json.dumps(ran["cells"])
    assert "data.load" in shown and "Traceback" not in shown


def test_the_installed_package_speaks_chinese(installed):
    """The catalogs ship in the wheel: the doctor reports in Chinese, and a button reads 检查."""
    venv, env, home = installed
    result = _run([venv / "bin" / "python", "-c",
                   "from ctopath.engine.i18n import tr, entries; "
                   "print(len(entries('zh')) > 1000, tr('Check', lang='zh'))"], cwd=home, env=env)
    assert result.stdout.split() == ["True", "检查"], result.stdout
    doctor = _run([venv / "bin" / "python", "-m", "ctopath", "doctor"], cwd=home, env={**env, "CTOPATH_LANG": "zh"})
    assert "Ready for the workshop" not in doctor.stdout and any("\u4e00" <= ch <= "\u9fff" for ch in doctor.stdout)
