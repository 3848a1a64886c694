#!/usr/bin/env bash
# Installs what tsc-engine needs on a fresh Debian machine (as root), builds the checkout and puts `tsc-engine` on
# the PATH. Idempotent: a second run only rebuilds.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(runc crun conmon docker-registry umoci skopeo busybox-static iptables attr redis-server tini golang-github-containers-common python3)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

npm ci --no-audit --no-fund --loglevel=error
npm run build --silent
ln -sf "$PWD/bin/tsc-engine" /usr/local/bin/tsc-engine
