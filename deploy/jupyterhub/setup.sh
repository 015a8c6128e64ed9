#!/usr/bin/env bash
# Set up a Coder to CTO JupyterHub room on this machine (Debian 12 / Ubuntu 22.04+), as root.
#
#   sudo deploy/jupyterhub/setup.sh --roster names.txt [--reissue NAME] [--port 8000]
#        [--listen 0.0.0.0 (--tls-cert FULLCHAIN --tls-key KEY | --self-signed | --allow-http)]
#
# Idempotent: run it again after `git pull` to update the workshop (learners get the update at
# their next log-in, merged by nbgitpuller), or with a changed roster; homes are never touched.
# What it does, step by step (README.md explains each):
#   1. installs system packages: python3-venv, git, openssl, nodejs + npm (Node >= 20 for the proxy)
#   2. copies this checkout to /opt/ctopath (root-owned, world-readable: learners read, never write)
#   3. builds /opt/ctopath/.venv from requirements.lock (`make venv`) and the proxy (npm ci)
#   4. commits the learners' notebooks to the git repository /opt/ctopath-workshop, which
#      nbgitpuller pulls into each home at every log-in
#   5. issues a code for every roster name and the instructor (python -m ctopath.roster): only
#      bcrypt hashes stay in /srv/ctopath-hub (mode 0700, root); the codes go to
#      /srv/ctopath-hub/codes-to-print.txt once, to print and cut into slips
#   6. installs and starts the systemd service ctopath-hub (this machine only, unless --listen)
set -euo pipefail

PREFIX=/opt/ctopath
STATE=/srv/ctopath-hub
CONTENT=/opt/ctopath-workshop
PORT=8000
LISTEN=127.0.0.1
ROSTER=""
TLS_CERT=""
TLS_KEY=""
SELF_SIGNED=0
ALLOW_HTTP=0
REISSUE=()
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --roster) ROSTER="$2"; shift 2 ;;
    --listen) LISTEN="$2"; shift 2 ;;
    --tls-cert) TLS_CERT="$2"; shift 2 ;;
    --tls-key) TLS_KEY="$2"; shift 2 ;;
    --self-signed) SELF_SIGNED=1; shift ;;
    --allow-http) ALLOW_HTTP=1; shift ;;
    --reissue) REISSUE+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "run as root (sudo $0)" >&2; exit 1; }
SRC="$(cd "$(dirname "$0")/../.." && pwd)"

echo "== 1. system packages"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv make git rsync openssl nodejs npm passwd >/dev/null
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

echo "== 4. the learners' notebooks as a git repository for nbgitpuller ($CONTENT)"
mkdir -p "$CONTENT/notebooks" "$CONTENT/exercises"
[ -d "$CONTENT/.git" ] || git -C "$CONTENT" init -q -b main
rsync -a --delete --include '*.ipynb' --exclude '*' "$PREFIX/notebooks/" "$CONTENT/notebooks/"
rsync -a --delete --include '*.ipynb' --exclude '*' "$PREFIX/exercises/" "$CONTENT/exercises/"
git -C "$CONTENT" add -A
git -C "$CONTENT" -c user.name="Coder to CTO" -c user.email=workshop@localhost \
  commit -q -m "workshop as of $(date -u '+%F %T') UTC" || echo "   (no change to the notebooks)"
chown -R root:root "$CONTENT"
chmod -R u+rwX,go+rX,go-w "$CONTENT"

echo "== 5. codes for the roster in $STATE (root only)"
install -d -m 0700 -o root -g root "$STATE"
umask 077
if [ -n "$ROSTER" ]; then
  "$PREFIX/.venv/bin/python" -m ctopath.roster --state "$STATE" "$ROSTER" ${REISSUE[@]+--reissue "${REISSUE[@]}"}
elif [ ! -s "$STATE/learner_codes" ]; then
  echo "give the learners' names: --roster names.txt (one name a line)" >&2
  exit 1
fi

# Where learners connect: this machine only, unless --listen; anything wider is HTTPS.
SCHEME=http
if [ "$SELF_SIGNED" = 1 ]; then
  # A laptop-hosted room: a certificate for this machine's addresses, made here. Browsers warn
  # once; learners compare the fingerprint printed below with the one on the board.
  SAN="DNS:$(hostname),DNS:localhost,IP:127.0.0.1"
  for a in $(hostname -I 2>/dev/null || true); do SAN="$SAN,IP:$a"; done
  openssl req -x509 -newkey rsa:3072 -nodes -days 30 -subj "/CN=$(hostname)" -addext "subjectAltName=$SAN" \
    -keyout "$STATE/room-key.pem" -out "$STATE/room-cert.pem" 2>/dev/null
  TLS_CERT="$STATE/room-cert.pem"; TLS_KEY="$STATE/room-key.pem"
fi
if [ -n "$TLS_CERT" ]; then
  [ -n "$TLS_KEY" ] || { echo "--tls-cert needs --tls-key" >&2; exit 1; }
  SCHEME=https
elif [ "$LISTEN" != 127.0.0.1 ] && [ "$ALLOW_HTTP" != 1 ]; then
  echo "--listen $LISTEN over plain HTTP would send codes in clear: add --tls-cert/--tls-key," >&2
  echo "--self-signed, or (only on a network that is yours alone) --allow-http" >&2
  exit 1
fi
if [ "$LISTEN" = 0.0.0.0 ]; then BIND_HOST=""; else BIND_HOST="$LISTEN"; fi

echo "== 6. the service"
cat > /etc/systemd/system/ctopath-hub.service <<EOF
[Unit]
Description=Coder to CTO JupyterHub room
After=network-online.target

[Service]
User=root
WorkingDirectory=$STATE
Environment=CTOPATH_HUB_STATE=$STATE
Environment=CTOPATH_HUB_BIND_URL=$SCHEME://$BIND_HOST:$PORT
Environment=CTOPATH_HUB_SSL_CERT=$TLS_CERT
Environment=CTOPATH_HUB_SSL_KEY=$TLS_KEY
Environment=CTOPATH_HUB_ALLOW_HTTP=$ALLOW_HTTP
Environment=CTOPATH_HUB_WORKSHOP=$PREFIX
Environment=CTOPATH_HUB_PYTHON=$PREFIX/.venv/bin/python
Environment=CTOPATH_HUB_PULL_REPO=file://$CONTENT
ExecStart=$PREFIX/.venv/bin/python -m jupyterhub -f $PREFIX/deploy/jupyterhub/jupyterhub_config.py
Restart=on-failure

[Install]
WantedBy=multi-user.target
EOF
systemctl daemon-reload
systemctl enable --now ctopath-hub
systemctl restart ctopath-hub

URL_HOST="$BIND_HOST"; [ -n "$URL_HOST" ] || URL_HOST="$(hostname -I 2>/dev/null | awk '{print $1}')"
cat <<EOF

The room is up: $SCHEME://$URL_HOST:$PORT/
  learners:   the name and code on their slip: print $STATE/codes-to-print.txt, cut, hand out,
              then delete it (only hashes stay; a lost slip: run again with --roster and --reissue NAME)
  instructor: name "instructor", code on the instructor's slip; dashboard at /services/room-dashboard/
  logs:       journalctl -u ctopath-hub -f
EOF
if [ "$SELF_SIGNED" = 1 ]; then
  echo "  certificate fingerprint (write it on the board):"
  openssl x509 -in "$TLS_CERT" -noout -fingerprint -sha256 | sed 's/^/    /'
fi
