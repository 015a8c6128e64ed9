"""One command for the workshop's tools: `ctopath <command> [options]` (or `python -m ctopath <command>`).

Each command is a tool module with its own ``--help``; nothing is imported until it runs.
"""
from __future__ import annotations

import importlib
import os
import subprocess
import sys

from .engine.i18n import Msg, tr
from .shipped import REPO

#: command -> (what it does, tool module, arguments put before the user's)
COMMANDS: dict[str, tuple[str, str, list[str]]] = {
    "lab": (Msg("check this machine, then open the workshop in JupyterLab, in your own copies (my-work/)"),
            "ctopath.cli", []),
    "doctor": (Msg("is this machine ready for the workshop? (Python, packages, data, progress store)"),
               "ctopath.tools.doctor", []),
    "room": (Msg("the room view: how a room of learners is doing, from their progress stores"), "ctopath.tools.room", []),
    "roster": (Msg("the JupyterHub room's learner list and sign-in codes"), "ctopath.tools.roster", []),
    "release": (Msg("write the learner notebooks exercises/*.ipynb from the answer set"), "ctopath.tools.release", []),
    "outputs": (Msg("write the Chinese notebooks, re-run the lessons and answer sets (both editions), store "
                "their outputs, then release"),
                "ctopath.tools.release", ["--run"]),
    "agenda": (Msg("write the agendas (docs/agenda.md, docs/zh/agenda.md, both instructor guides) from the modules"),
               "ctopath.tools.agenda", []),
    "bench": (Msg("time every notebook and every Check; prints a table"), "ctopath.tools.bench", []),
    "data": (Msg("regenerate the company's data, data/*.csv (deterministic)"), "ctopath.tools.datagen", []),
    "lock": (Msg("write environment.yml from the lock, or re-resolve the lock (--lock)"), "ctopath.tools.lockfile", []),
    "translate": (Msg("the Chinese edition: write zh/ notebooks from the catalogs; --check, --todo"),
                  "ctopath.tools.translate", []),
}


def usage() -> str:
    width = max(map(len, COMMANDS))
    lines = [tr("One command for the workshop's tools: `ctopath <command> [options]` (or `python -m ctopath <command>`)."),
             "", tr("commands:")]
    lines += [f"  {name:<{width}}  {tr(what)}" for name, (what, _, _) in COMMANDS.items()]
    lines += ["", tr("`ctopath <command> --help` tells more. The workshop's two commands stay `make lab` and `make test`.")]
    return "\n".join(lines)


def _language(argv: list[str]) -> tuple[str, list[str]]:
    """``--lang zh`` / ``--lang=zh`` from the arguments, else ``CTOPATH_LANG``, else English."""
    from .engine import i18n

    rest, chosen = [], os.environ.get("CTOPATH_LANG", "") or "en"
    args = iter(argv)
    for arg in args:
        if arg == "--lang":
            chosen = next(args, "")
        elif arg.startswith("--lang="):
            chosen = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    return i18n.normalise(chosen), rest


def interface_settings(folder, lang: str):
    """A JupyterLab settings folder whose interface language is ``lang`` (the zh-CN language pack)."""
    from pathlib import Path

    settings = Path(folder) / ".jupyterlab-settings" / lang
    plugin = settings / "@jupyterlab" / "translation-extension" / "plugin.jupyterlab-settings"
    plugin.parent.mkdir(parents=True, exist_ok=True)
    plugin.write_text('{\n  "locale": "%s"\n}\n' % {"zh": "zh_CN"}[lang], encoding="utf-8")
    return settings


def lab(argv: list[str]) -> int:
    """Check the machine (problems are printed, never fatal), then start JupyterLab on lesson 00."""
    if argv[:1] in (["-h"], ["--help"]):
        print(tr("usage: ctopath lab [--lang en|zh] [JupyterLab options]") + "\n\n"
              + tr(Msg("{what}. --lang zh (or CTOPATH_LANG=zh) opens the Chinese edition, 中文版, with JupyterLab "
                       "in Chinese. Other options are passed to `jupyter lab` (e.g. --no-browser, --port 8890).",
                       what=COMMANDS["lab"][0])))
        return 0
    try:
        lang, argv = _language(argv)
    except ValueError as err:
        print(err, file=sys.stderr)
        return 2
    from .engine import i18n
    from .tools import doctor, workspace

    i18n.set_language(lang)
    doctor.main(["--quiet"])
    if not (REPO / "notebooks" / "00-orientation.ipynb").exists():
        print(tr("The notebooks are not here: the package is installed without the workshop's repository. "
                 "Clone the workshop and run `make lab` in it."), file=sys.stderr)
        return 1
    mine = workspace.prepare()
    if mine.summary():
        print(mine.summary())
    first = "notebooks/00-orientation.ipynb" if lang == "en" else f"{lang}/notebooks/00-orientation.ipynb"
    env = dict(os.environ, CTOPATH_LANG=lang)  # every kernel shows the workshop's texts in this language
    if lang != "en":
        # The workshop's own interface settings, so the learner's usual JupyterLab stays as it was.
        env["JUPYTERLAB_SETTINGS_DIR"] = str(interface_settings(mine.folder, lang))
    command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={mine.folder}", first, *argv]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in argv:
        # Jupyter refuses to run as root without this; in a container root is normal.
        print(tr("Running as root (a container?): starting JupyterLab with --allow-root. On a shared machine, "
                 "run the workshop as an ordinary user instead."))
        command.append("--allow-root")
    try:
        return subprocess.call(command, cwd=mine.folder, env=env)
    except KeyboardInterrupt:
        return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(usage())
        return 0
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        print(tr(Msg("ctopath: there is no command {name}.", name=repr(name))) + f"\n\n{usage()}", file=sys.stderr)
        return 2
    if name == "lab":
        return lab(rest)
    if name == "outputs" and not {"-h", "--help"} & set(rest):
        # The Chinese notebooks are written from the English first, so both editions' outputs are stored.
        from .tools import translate

        translate.main([])
    _, module, before = COMMANDS[name]
    return importlib.import_module(module).main(before + rest) or 0
