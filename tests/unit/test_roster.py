"""The room's roster tool: codes strong enough (>= 80 bits) and easy to read aloud; only hashes kept."""
import os
import re
import stat

import pytest

from ctopath.tools import roster


def test_a_code_carries_at_least_80_bits_and_reads_aloud():
    assert roster.code_bits() >= roster.MIN_BITS
    codes = {roster.new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(r"([bdfghjkmnprstvwz][aeiou]){2}(-([bdfghjkmnprstvwz][aeiou]){2}){6}", code), code


def test_names_are_checked_with_line_numbers():
    assert roster.read_names("Ana\n# comment\n\nben  # late\n") == ["ana", "ben"]
    with pytest.raises(roster.RosterError) as err:
        roster.read_names("ana\n../root\nana\n")
    assert "line 2" in str(err.value) and "line 3" in str(err.value) and "twice" in str(err.value)


def test_issue_keeps_codes_reissues_on_request_and_stores_only_hashes(tmp_path):
    bcrypt = pytest.importorskip("bcrypt")
    state = tmp_path / "state"
    first = roster.issue(state, ["ana", "ben"], "instructor")
    assert set(first) == {"instructor", "ana", "ben"}
    hashes = roster.read_codes(state / roster.CODES_FILE)
    assert bcrypt.checkpw(first["ana"].encode(), hashes["ana"].encode())
    text = (state / roster.CODES_FILE).read_text()
    assert first["ana"] not in text
    for name in (roster.CODES_FILE, roster.PRINT_FILE, roster.ROSTER_FILE):
        assert stat.S_IMODE(os.stat(state / name).st_mode) == 0o600
    again = roster.issue(state, ["ana", "ben", "cai"], "instructor")
    assert set(again) == {"cai"}, "existing codes must be kept"
    new = roster.issue(state, ["ana", "cai"], "instructor", reissue=("ana",))
    assert set(new) == {"ana"} and new["ana"] != first["ana"]
    assert set(roster.read_codes(state / roster.CODES_FILE)) == {"instructor", "ana", "cai"}  # ben left
    assert "cai" not in (state / roster.PRINT_FILE).read_text()  # only the codes issued this time
    with pytest.raises(roster.RosterError):
        roster.issue(state, ["ana"], "instructor", reissue=("zed",))
    with pytest.raises(roster.RosterError):
        roster.issue(state, ["instructor"], "instructor")


def test_the_command_line_explains_problems(tmp_path, capsys):
    bad = tmp_path / "names.txt"
    bad.write_text("ok\nNot Valid!\n")
    assert roster.main([str(bad), "--state", str(tmp_path / "s")]) == 1
    assert "line 2" in capsys.readouterr().err
    assert roster.main([str(tmp_path / "missing.txt"), "--state", str(tmp_path / "s")]) == 1
    assert "cannot use the roster" in capsys.readouterr().err
    assert roster.main(["--bits"]) == 0 and "bits" in capsys.readouterr().out
