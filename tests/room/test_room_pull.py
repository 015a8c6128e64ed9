"""nbgitpuller in the room: a link pulls the workshop from a git repository (here a local
file:// one) into the learner's home; a later pull merges new upstream commits without
clobbering what the learner changed (nbgitpuller merges with -Xours: the learner's side wins)."""
import json
import os
import subprocess
from urllib.parse import urlencode

import pytest

pytestmark = pytest.mark.room

GIT_ENV = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "workshop", "GIT_AUTHOR_EMAIL": "workshop@example.invalid",
           "GIT_COMMITTER_NAME": "workshop", "GIT_COMMITTER_EMAIL": "workshop@example.invalid"}


def _git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, env=GIT_ENV, check=True, capture_output=True, timeout=60)


def _notebook(text: str) -> str:
    return json.dumps({"cells": [{"cell_type": "markdown", "metadata": {}, "source": text, "id": "c1"}],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)


def _pull(server, repo_url: str) -> list[dict]:
    query = urlencode({"repo": repo_url, "branch": "main", "targetpath": "pulled-workshop"})
    r = server.request("GET", f"/git-pull/api?{query}")  # the event stream ends when the pull is done
    assert r.status_code == 200, (r.status_code, r.text[:300])
    events = [json.loads(line[len("data:"):]) for line in r.text.splitlines() if line.startswith("data:")]
    assert events and events[-1]["phase"] == "finished", events[-3:]
    return events


@pytest.fixture
def upstream(room):
    repo = room.base / "upstream.git"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    (repo / "notebooks").mkdir()
    (repo / "notebooks" / "00-lesson.ipynb").write_text(_notebook("lesson, version 1"))
    (repo / "notebooks" / "01-lesson.ipynb").write_text(_notebook("second lesson, version 1"))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "the workshop")
    subprocess.run(["chmod", "-R", "go+rX", str(repo)], check=True)
    return repo


def test_nbgitpuller_pulls_the_workshop_and_merges_updates_without_clobbering_work(room, upstream):
    server = room.server("l09")
    url = f"file://{upstream}"
    # the link a learner is given (the page that then calls the API below) is served by their server
    link = server.request("GET", "/git-pull?" + urlencode({"repo": url, "branch": "main", "targetpath": "pulled-workshop",
                                                           "urlpath": "lab/tree/pulled-workshop"}))
    assert link.status_code == 200 and "pulled-workshop" in link.text, link.status_code
    _pull(server, url)
    home = room.home_of("l09")
    pulled = home / "pulled-workshop" / "notebooks"
    assert json.loads((pulled / "00-lesson.ipynb").read_text())["cells"][0]["source"] == "lesson, version 1"
    assert os.stat(pulled / "00-lesson.ipynb").st_uid == os.stat(home).st_uid, "the clone is not the learner's"

    # the learner edits the first notebook (through Jupyter, as they would)...
    rel = "pulled-workshop/notebooks/00-lesson.ipynb"
    nb = server.get_notebook(rel)
    nb["cells"][0]["source"] = "lesson, version 1 + MY NOTES"
    server.put_notebook(rel, nb)
    # ... while the instructor changes the same notebook, changes another and adds a third
    (upstream / "notebooks" / "00-lesson.ipynb").write_text(_notebook("lesson, version 2 (instructor)"))
    (upstream / "notebooks" / "01-lesson.ipynb").write_text(_notebook("second lesson, version 2"))
    (upstream / "notebooks" / "02-new.ipynb").write_text(_notebook("a new lesson"))
    _git(upstream, "add", "-A")
    _git(upstream, "commit", "-q", "-m", "an update during the course")

    _pull(server, url)
    mine = server.get_notebook(rel)["cells"][0]["source"]
    assert "MY NOTES" in mine, f"the learner's edit was clobbered: {mine!r}"
    assert server.get_notebook("pulled-workshop/notebooks/01-lesson.ipynb")["cells"][0]["source"] == \
        "second lesson, version 2", "an upstream change the learner did not touch did not arrive"
    assert server.get_notebook("pulled-workshop/notebooks/02-new.ipynb")["cells"][0]["source"] == "a new lesson"
