#!/usr/bin/env bash
# Set up a Coder to CTO JupyterHub room on this machine (Debian 12 / Ubuntu 22.04+), as root.
#
#   sudo deploy/jupyterhub/setup.sh [--password WORDS] [--port 8000] [--roster FILE]
#
# Idempotent: run it again after `git pull` to update the workshop; learners' homes are never touched.
# What it does, step by step (README.md explains each):
#   1. installs system packages: python3-venv, git, nodejs + npm (Node >= 20 for the proxy)
#   2. copies this checkout to /opt/ctopath (root-owned, world-readable: learners read, never write)
#   3. builds /opt/ctopath/.venv from requirements.lock (`make venv`) and the proxy (npm ci)
#   4. writes the hub's secrets to /srv/ctopath-hub (mode 0700, root only): the learners' shared
#      password, a separate 48-character admin password, and the optional roster
#   5. installs and starts the systemd service ctopath-hub
set -euo pipefail

PREFIX=/opt/ctopath
STATE=/srv/ctopath-hub
PORT=8000
PASSWORD=""
ROSTER=""
while [ $# -gt 0 ]; do
  case "$1" in
    --password) PASSWORD="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --roster) ROSTER="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "run as root (sudo $0)" >&2; exit 1; }
SRC="$(cd "$(dirname "$0")/../.." && pwd)"

echo "== 1. system packages"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv make git rsync nodejs npm passwd >/dev/null
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "Node.js $node_major is too old for configurable-http-proxy 5 (needs 20+)." >&2
  echo "Install Node.js 20 or newer (e.g. your distribution's backports), then run this again." >&2
  exit 1
fi

echo "== 2. the workshop in $PREFIX (read-only for learners)"
mkdir -p "$PREFIX"
rsync -a --delete --exclude .venv --exclude node_modules --exclude .git --exclude '__pycache__' \
  --exclude 'exercises/answers' "$SRC"/ "$PREFIX"/
chown -R root:root "$PREFIX"
chmod -R u+rwX,go+rX,go-w "$PREFIX"

echo "== 3. Python environment and proxy"
make -C "$PREFIX" venv PYTHON=python3
npm ci --prefix "$PREFIX/deploy/jupyterhub/node" --no-audit --no-fund
chmod -R go+rX,go-w "$PREFIX/.venv"
"$PREFIX/.venv/bin/python" -m ctopath.doctor || true

echo "== 4. secrets in $STATE (root only)"
install -d -m 0700 -o root -g root "$STATE"
umask 077
if [ -n "$PASSWORD" ] || [ ! -s "$STATE/user_password" ]; then
  if [ -z "$PASSWORD" ]; then
    PASSWORD="$(python3 -c 'import secrets; w=["larch","maple","cedar","birch","aspen","rowan","alder","hazel"]; print("-".join(secrets.choice(w) for _ in range(3)) + str(secrets.randbelow(90)+10))')"
  fi
  [ "${#PASSWORD}" -ge 8 ] || { echo "the learners' password needs 8 characters or more" >&2; exit 1; }
  printf '%s\n' "$PASSWORD" > "$STATE/user_password"
fi
if [ ! -s "$STATE/admin_password" ]; then
  python3 -c 'import secrets; print(secrets.token_urlsafe(36))' > "$STATE/admin_password"
fi
if [ -n "$ROSTER" ]; then
  tr 'A-Z' 'a-z' < "$ROSTER" > "$STATE/roster.txt"
fi
chmod 600 "$STATE"/*

echo "== 5. the service"
cat > /etc/systemd/system/ctopath-hub.service <<EOF
[Unit]
Description=Coder to CTO JupyterHub room
After=network-online.target

[Service]
User=root
WorkingDirectory=$STATE
Environment=CTOPATH_HUB_STATE=$STATE
Environment=CTOPATH_HUB_BIND_URL=http://:$PORT
Environment=CTOPATH_HUB_WORKSHOP=$PREFIX
Environment=CTOPATH_HUB_PYTHON=$PREFIX/.venv/bin/python
ExecStart=$PREFIX/.venv/bin/python -m jupyterhub -f $PREFIX/deploy/jupyterhub/jupyterhub_config.py
Restart=on-failure

[Install]
WantedBy=multi-user.target
EOF
systemctl daemon-reload
systemctl enable --now ctopath-hub
systemctl restart ctopath-hub

cat <<EOF

The room is up: http://$(hostname -I 2>/dev/null | awk '{print $1}'):$PORT/
  learners:   any name (lower-case letters, digits, - _), password: $(cat "$STATE/user_password")
  instructor: name "instructor", password: sudo cat $STATE/admin_password
  room view:  sudo $PREFIX/.venv/bin/python -m ctopath.room /home
  logs:       journalctl -u ctopath-hub -f
Before the day: put TLS in front of it (README.md, "TLS").
EOF
