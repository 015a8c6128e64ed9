"""The room's roster: one secret code per learner, printed on a slip the instructor hands out.

    python -m ctopath roster --state /srv/ctopath-hub names.txt            issue codes for new names
    python -m ctopath roster --state /srv/ctopath-hub names.txt --reissue ana   a new code for ana
    python -m ctopath roster --bits                                        how strong a code is

Only the names on the roster get an account (the hub's NativeAuthenticator has sign-up switched
off and reads ``learner_codes``). The hub stores only bcrypt hashes of the codes; the codes
themselves are written once, to ``codes-to-print.txt`` (mode 0600), for the instructor to print,
cut into slips and delete. A code is seven groups of two syllables (``bako-rinu-...``): easy
to read aloud and to type, no letters that look alike, and at least 80 bits of randomness.

The hub re-reads ``learner_codes`` when it changes, so a late arrival or a lost slip needs no
restart: add the name (or ``--reissue`` it) and hand over the new slip.
"""
from __future__ import annotations

import argparse
import math
import os
import re
import secrets
import sys
from pathlib import Path

NAME_PATTERN = re.compile(r"[a-z][a-z0-9_-]{0,19}")
# 16 consonants x 5 vowels = 80 syllables; no l (looks like 1 and I), no c/q/x/y (spelling aloud).
CONSONANTS = "bdfghjkmnprstvwz"
VOWELS = "aeiou"
SYLLABLES_PER_GROUP, GROUPS = 2, 7
CODES_FILE, PRINT_FILE, ROSTER_FILE = "learner_codes", "codes-to-print.txt", "roster.txt"
MIN_BITS = 80


class RosterError(Exception):
    """A roster problem, in words for the instructor."""


def code_bits() -> float:
    """Randomness of one code, in bits."""
    return SYLLABLES_PER_GROUP * GROUPS * math.log2(len(CONSONANTS) * len(VOWELS))


def new_code() -> str:
    """A fresh code from the operating system's random source, e.g. ``bako-rinu-tesa-...``."""
    def group():
        return "".join(secrets.choice(CONSONANTS) + secrets.choice(VOWELS) for _ in range(SYLLABLES_PER_GROUP))
    return "-".join(group() for _ in range(GROUPS))


def hash_code(code: str) -> str:
    try:
        import bcrypt
    except ImportError:
        raise RosterError("bcrypt is missing: run this with the room's Python "
                          "(/opt/ctopath/.venv/bin/python), which has the [hub] extra") from None
    return bcrypt.hashpw(code.encode(), bcrypt.gensalt()).decode("ascii")


def read_names(text: str, source: str = "the roster") -> list[str]:
    """Learner names, one a line (blank lines and # comments skipped), lower-cased, checked."""
    names, problems = [], []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip().lower()
        if not line:
            continue
        if not NAME_PATTERN.fullmatch(line):
            problems.append(f"line {number}: {line[:40]!r} is not a valid learner name "
                            "(a letter, then up to 19 lower-case letters, digits, - or _)")
        elif line in names:
            problems.append(f"line {number}: {line!r} is listed twice")
        else:
            names.append(line)
    if problems:
        raise RosterError(f"{source} has problems:\n  " + "\n  ".join(problems))
    return names


def read_codes(path: Path) -> dict[str, str]:
    """{name: bcrypt hash} from a ``learner_codes`` file (``name<TAB>hash`` lines)."""
    out = {}
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return out
    for line in text.splitlines():
        name, _, hashed = line.partition("\t")
        if NAME_PATTERN.fullmatch(name) and hashed.startswith("$2"):
            out[name] = hashed.strip()
    return out


def _write_private(path: Path, text: str) -> None:
    """Write a root-only file atomically (0600 from the start, then renamed into place)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def issue(state: Path, names: list[str], admin: str, reissue: tuple[str, ...] = ()) -> dict[str, str]:
    """Give every roster name (and the admin) a code unless it has one; new codes for ``reissue``.
    Names no longer on the roster lose their code. Returns {name: code} of the codes issued now."""
    if admin in names:
        raise RosterError(f"{admin!r} is the instructor's name; take it off the learners' roster")
    unknown = [n for n in reissue if n not in names and n != admin]
    if unknown:
        raise RosterError(f"cannot reissue {', '.join(unknown)}: not on the roster")
    state.mkdir(mode=0o700, parents=True, exist_ok=True)
    existing = read_codes(state / CODES_FILE)
    issued, hashes = {}, {}
    for name in [admin, *names]:
        if name in existing and name not in reissue:
            hashes[name] = existing[name]
            continue
        issued[name] = new_code()
        hashes[name] = hash_code(issued[name])
    _write_private(state / CODES_FILE, "".join(f"{n}\t{h}\n" for n, h in hashes.items()))
    _write_private(state / ROSTER_FILE, "".join(f"{n}\n" for n in names))
    if issued:
        _write_private(state / PRINT_FILE, slips(issued))
    return issued


def slips(codes: dict[str, str]) -> str:
    cut = "-" * 64
    parts = [f"{cut}\nCoder to CTO workshop\n  name: {name}\n  code: {code}\n"
             f"Keep this slip to yourself: the code is your password for the day.\n" for name, code in codes.items()]
    return "".join(parts) + cut + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ctopath roster", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("roster", nargs="?", help="file with one learner name a line")
    parser.add_argument("--state", type=Path, default=Path("/srv/ctopath-hub"), help="the hub's state folder")
    parser.add_argument("--admin", default="instructor", help="the instructor's hub name [instructor]")
    parser.add_argument("--reissue", nargs="*", default=[], metavar="NAME", help="new codes for these names")
    parser.add_argument("--bits", action="store_true", help="print the strength of a code and exit")
    args = parser.parse_args(argv)
    if args.bits:
        print(f"a code such as {new_code()} carries {code_bits():.1f} bits")
        return 0
    if not args.roster:
        parser.error("give the roster file (one learner name a line)")
    try:
        names = read_names(Path(args.roster).read_text(encoding="utf-8"), args.roster)
        issued = issue(args.state, names, args.admin, tuple(args.reissue))
    except OSError as err:
        print(f"cannot use the roster: {err.strerror or err} ({err.filename or args.roster})", file=sys.stderr)
        return 1
    except RosterError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"{len(names)} learner{'s' if len(names) != 1 else ''} on the roster; "
          f"{len(issued)} new code{'s' if len(issued) != 1 else ''} issued.")
    if issued:
        print(f"Print the slips from {args.state / PRINT_FILE} (root only), hand them out, then delete it.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
