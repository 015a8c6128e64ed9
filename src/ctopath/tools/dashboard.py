"""The room dashboard: a JupyterHub service that shows the instructor the room, live.

    python -m ctopath.tools.dashboard        (the hub starts it; see deploy/jupyterhub/jupyterhub_config.py)

It serves ``/services/room-dashboard/``: per exercise done / stuck / revealed and the most common
wrong answers, a learners x exercises heat map, and who is stuck right now. The page fetches a
fresh fragment every few seconds by itself; without JavaScript it reloads.

Who may open it: hub admins only. The hub grants ``access:services`` to its admin role and to
no learner, so a learner's OAuth request to this service is refused by the hub itself (403), and
the service checks the ``admin`` flag of the identified user again before showing anything.

It runs as root inside the hub (learners' homes are 0700) and only reads: every store is
untrusted input and goes through :mod:`ctopath.tools.room` (no symbolic links, size-capped, JSON
parsed and every field checked). Learner text is escaped; the page's Content-Security-Policy
allows no inline script and nothing from other origins.

Settings (environment, set by the hub's service definition):
  CTOPATH_DASHBOARD_HOME_BASE   folder of the learners' homes [/home]
  CTOPATH_DASHBOARD_PREFIX      Unix name prefix of learners' homes [jupyter-]
  CTOPATH_DASHBOARD_REFRESH     seconds between refreshes in the page [3]
  CTOPATH_DASHBOARD_STUCK_MINUTES, CTOPATH_DASHBOARD_STUCK_ATTEMPTS  "stuck right now" [10, 3]
"""
from __future__ import annotations

import html
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from . import room

SERVICE_NAME = "room-dashboard"


@dataclass
class Settings:
    home_base: Path = Path("/home")
    prefix: str = "jupyter-"
    refresh_seconds: float = 3.0
    stuck_minutes: float = 10.0
    stuck_attempts: int = 3

    @classmethod
    def from_env(cls, env=os.environ) -> "Settings":
        def number(name, default, kind=float, low=0):
            try:
                value = kind(env.get(name, default))
            except (TypeError, ValueError):
                sys.exit(f"{name}={env.get(name)!r} is not a number")
            return max(low, value)

        return cls(home_base=Path(env.get("CTOPATH_DASHBOARD_HOME_BASE") or "/home"),
                   prefix=env.get("CTOPATH_DASHBOARD_PREFIX", "jupyter-"),
                   refresh_seconds=number("CTOPATH_DASHBOARD_REFRESH", 3, float, 1),
                   stuck_minutes=number("CTOPATH_DASHBOARD_STUCK_MINUTES", 10, float, 1),
                   stuck_attempts=number("CTOPATH_DASHBOARD_STUCK_ATTEMPTS", 3, int, 1))


def gather(settings: Settings) -> room.RoomReport:
    """Every learner home under the home base (by prefix); a home without a store yet is a
    learner who has not pressed Check, not an error."""
    learners, skipped = [], []
    try:
        homes = sorted(p for p in settings.home_base.iterdir()
                       if p.name.startswith(settings.prefix) and p.is_dir() and not p.is_symlink())
    except OSError as err:
        return room.RoomReport([], [room.Skipped(str(settings.home_base), err.strerror or str(err))])
    for home in homes:
        label = room.safe_text(home.name[len(settings.prefix):] or home.name, 40)
        folder = home / room.STORE_DIR
        store = folder / room.STORE_NAME
        if folder.is_symlink():
            skipped.append(room.Skipped(str(folder), "is a symbolic link; not followed"))
            continue
        if not (store.exists() or store.is_symlink()):
            learners.append(room.Learner(label, str(store), {}))
            continue
        try:
            records, ignored = room.parse_store(room.read_bytes(store))
        except room.Unreadable as why:
            skipped.append(room.Skipped(str(store), str(why)))
            continue
        learners.append(room.Learner(label, str(store), records, ignored))
    return room.RoomReport(learners, skipped)


def fragment_html(report: room.RoomReport, settings: Settings) -> str:
    """The live part of the page (replaced in place at every refresh)."""
    stamp = time.strftime("%H:%M:%S")
    return (f'<p class="updated">Updated {stamp}; refreshes every {settings.refresh_seconds:g} s.</p>'
            f'<section id="stuck-now"><h2>Stuck right now</h2>'
            f"{report.stuck_now_html(minutes=settings.stuck_minutes, attempts=settings.stuck_attempts)}</section>"
            f'<section id="heatmap"><h2>Learners × exercises</h2>{report.heatmap_html()}</section>'
            f'<section id="exercises"><h2>Per exercise</h2>{report.summary_html()}</section>')


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Room dashboard · Coder to CTO</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<noscript><meta http-equiv="refresh" content="{refresh}"></noscript>
<style>
body {{ font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #212121; }}
table {{ border-collapse: collapse; }} th, td {{ padding: 2px 6px; border-bottom: 1px solid #eee; text-align: left; }}
h2 {{ font-size: 1.1em; margin-top: 1.5em; }} .updated {{ color: #616161; }}
</style>{state_style}
</head><body data-refresh="{refresh}" data-xsrf="{xsrf}">
<h1>Coder to CTO: the room</h1>
<div id="room">{fragment}</div>
<script src="dashboard.js"></script>
</body></html>
"""

SCRIPT = """// Replace the live part of the page every few seconds; keep the old one if a fetch fails.
(function () {
  var seconds = parseFloat(document.body.dataset.refresh) || 3;
  // The hub's cookie auth accepts a script's request only with the page's XSRF token.
  var headers = {"X-XSRFToken": document.body.dataset.xsrf || ""};
  function refresh() {
    fetch("fragment", {credentials: "same-origin", cache: "no-store", headers: headers})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (text) { document.getElementById("room").innerHTML = text; })
      .catch(function () {})
      .then(function () { setTimeout(refresh, seconds * 1000); });
  }
  setTimeout(refresh, seconds * 1000);
})();
"""


def make_app(settings: Settings):
    from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated
    from jupyterhub.utils import url_path_join
    from tornado import web

    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", f"/services/{SERVICE_NAME}/")

    class AdminOnly(HubOAuthenticated, web.RequestHandler):
        """Identified by the hub (OAuth), and an admin, or 403."""

        def set_default_headers(self):
            self.set_header("Content-Security-Policy",
                            "default-src 'none'; script-src 'self'; connect-src 'self'; "
                            "style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'")
            self.set_header("Cache-Control", "no-store")
            self.set_header("X-Content-Type-Options", "nosniff")

        def admin_or_403(self):
            user = self.current_user
            if not isinstance(user, dict) or user.get("admin") is not True:
                raise web.HTTPError(403, "the room dashboard is for the hub's admins only")

    class Page(AdminOnly):
        @web.authenticated
        def get(self):
            self.admin_or_403()
            report = gather(settings)
            token = self.xsrf_token
            token = token.decode() if isinstance(token, bytes) else str(token)
            self.write(PAGE.format(refresh=f"{settings.refresh_seconds:g}", state_style=room.STATE_STYLE,
                                   xsrf=html.escape(token), fragment=fragment_html(report, settings)))

    class Fragment(AdminOnly):
        @web.authenticated
        def get(self):
            self.admin_or_403()
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.write(fragment_html(gather(settings), settings))

    class Data(AdminOnly):
        @web.authenticated
        def get(self):
            self.admin_or_403()
            data = gather(settings).to_dict()
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.write(json.dumps(data, ensure_ascii=False, default=str))

    class Script(AdminOnly):
        @web.authenticated
        def get(self):
            self.admin_or_403()
            self.set_header("Content-Type", "text/javascript; charset=utf-8")
            self.write(SCRIPT)

    return web.Application([
        (prefix, Page),
        (url_path_join(prefix, "fragment"), Fragment),
        (url_path_join(prefix, "api/report"), Data),
        (url_path_join(prefix, "dashboard.js"), Script),
        (url_path_join(prefix, "oauth_callback"), HubOAuthCallbackHandler),
    ], cookie_secret=os.urandom(32), login_url=url_path_join(prefix, "oauth_callback"), xsrf_cookies=False)


def main() -> int:
    import asyncio

    url = os.environ.get("JUPYTERHUB_SERVICE_URL")
    if not url or not os.environ.get("JUPYTERHUB_API_TOKEN"):
        print("The room dashboard runs as a JupyterHub service: the hub starts it (see "
              "deploy/jupyterhub/jupyterhub_config.py). To look at the room from a shell, use "
              "`python -m ctopath room /home`.", file=sys.stderr)
        return 2
    settings = Settings.from_env()
    address = urlparse(url)
    app = make_app(settings)

    async def serve():
        app.listen(address.port, address.hostname)
        print(f"room dashboard on {html.escape(url)}, reading {settings.home_base}/{settings.prefix}*", flush=True)
        await asyncio.Event().wait()

    asyncio.run(serve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
