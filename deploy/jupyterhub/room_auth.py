"""The room's authenticator: jupyterhub-nativeauthenticator, fed from the instructor's roster.

NativeAuthenticator (maintained by the JupyterHub project) does the work: bcrypt-hashed
passwords in the hub's database, and a lockout after ``allowed_failed_logins`` failures for a
name (``seconds_before_next_try``). What this subclass adds is only where accounts come from:

* sign-up is off; the accounts are the names in ``learner_codes`` (written by
  ``python -m ctopath roster`` from the instructor's roster), each with the bcrypt hash of the
  code on that learner's slip. A name not on the roster has no account and is refused.
* the file is re-read when it changes (checked at each log-in), so adding a late learner or
  reissuing a lost slip needs no hub restart. A name taken off the roster can no longer log in.
* none of nativeauthenticator's own pages are routed: sign-up, self-approval, password change
  and the authorization area are not wanted (the slip's code is the learner's password for the
  day), and its log-in page fails on JupyterHub 6 (1.3.0's LoginHandler uses ``self.statsd``,
  which JupyterHub 6 no longer has: every log-in was a 500). JupyterHub's own log-in page is
  used; it calls :meth:`authenticate` below, which is nativeauthenticator's, lockout included.
"""
from __future__ import annotations

import os
from pathlib import Path

from ctopath.tools.roster import read_codes  # the hub runs with the workshop's venv, which has ctopath
from nativeauthenticator import NativeAuthenticator
from nativeauthenticator.orm import UserInfo
from traitlets import Unicode


class RosterAuthenticator(NativeAuthenticator):
    codes_file = Unicode("", config=True, help="learner_codes: name<TAB>bcrypt hash, one a line (root, 0600).")

    _codes_stamp = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)  # creates nativeauthenticator's users_info table if missing
        self.sync_roster()

    def _stamp(self):
        try:
            st = os.stat(self.codes_file)
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def sync_roster(self) -> None:
        """Make nativeauthenticator's accounts exactly the ones in ``codes_file``."""
        path = Path(self.codes_file)
        st = path.stat()
        if st.st_mode & 0o077 or st.st_uid != os.getuid():
            raise SystemExit(f"{path} must be owned by uid {os.getuid()} and readable by its owner only (chmod 600).")
        codes = read_codes(path)
        self._codes_stamp = self._stamp()
        for info in UserInfo.all_users(self.db):
            if info.username not in codes:
                self.db.delete(info)
        for name, hashed in codes.items():
            info = UserInfo.find(self.db, name)
            if info is None:
                self.db.add(UserInfo(username=name, password=hashed.encode(), is_authorized=True))
            elif info.password != hashed.encode() or not info.is_authorized:
                info.password, info.is_authorized = hashed.encode(), True
        self.db.commit()
        self.allowed_users = set(codes) | set(self.admin_users)
        self.log.info("Roster: %d accounts from %s", len(codes), path)

    async def authenticate(self, handler, data):
        if self._stamp() != self._codes_stamp:
            self.sync_roster()
        return await super().authenticate(handler, data)

    def get_handlers(self, app):
        return []
