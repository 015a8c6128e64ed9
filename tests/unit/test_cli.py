"""One command: `ctopath <command>` (and `python -m ctopath`) reaches every tool; `ctopath lab` works as root."""
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ctopath import cli

ROOT = Path(__file__).resolve().parents[2]
WANTED = {"lab", "doctor", "room", "release", "outputs", "agenda", "bench", "data", "lock"}


def test_help_lists_every_command(capsys):
    assert cli.main(["--help"]) == 0
    shown = capsys.readouterr().out
    assert WANTED <= set(cli.COMMANDS)
    for name in cli.COMMANDS:
        assert re.search(rf"^  {name}\s+\S", shown, re.M), name


@pytest.mark.parametrize("name", sorted(set(cli.COMMANDS) - {"lab"}))
def test_every_command_has_its_own_help(name, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main([name, "--help"])
    assert stop.value.code == 0
    assert "usage:" in capsys.readouterr().out


def test_an_unknown_command_gets_a_sentence_and_the_list(capsys):
    assert cli.main(["relase"]) == 2
    err = capsys.readouterr().err
    assert "no command 'relase'" in err and "release" in err


def test_python_dash_m_ctopath_runs_a_tool():
    result = subprocess.run([sys.executable, "-m", "ctopath", "release", "--check"], capture_output=True,
                            text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout


def test_the_console_script_is_installed():
    script = Path(sys.executable).with_name("ctopath")
    assert script.exists(), "pyproject's [project.scripts] ctopath: run `make venv`"
    assert subprocess.run([script, "--help"], capture_output=True, text=True).stdout.count("\n  ") >= len(WANTED)


def test_makefile_targets_call_the_one_command():
    makefile = (ROOT / "Makefile").read_text()
    for tool in ("doctor", "release", "datagen", "agenda", "bench", "lockfile"):
        assert f"-m ctopath.{tool}" not in makefile, f"the Makefile calls ctopath.{tool} directly"
    assert "-m ctopath lab" in makefile.split("\nlab: venv\n", 1)[1].split("\n\n", 1)[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root sees Jupyter's root refusal")
def test_lab_starts_as_root_and_says_why(tmp_path):
    port = _free_port()
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path), CTOPATH_PROGRESS=str(tmp_path / "p.json"))
    proc = subprocess.Popen([sys.executable, "-m", "ctopath", "lab", "--no-browser", f"--port={port}",
                             "--ServerApp.token=t", "--ip=127.0.0.1"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token=t", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start within 90 s")
    finally:
        os.killpg(proc.pid, 15)
        out = proc.communicate(timeout=30)[0]
    assert "Running as root" in out and "--allow-root" in out
