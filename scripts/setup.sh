#!/usr/bin/env bash
# Installs everything polyfuse needs on a machine with Node 20 and npm:
# pnpm 10, the Debian data the apps read (espeak-ng, dataset-fashion-mnist) when apt is available,
# the workspace's packages, and a build of every package.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v pnpm >/dev/null 2>&1 || ! pnpm --version 2>/dev/null | grep -q '^10\.'; then
  echo "setup: installing pnpm 10 with npm"
  npm install -g pnpm@10 >/dev/null
fi

# Debian packages: espeak-ng (speech for apps/av-digits), Fashion-MNIST (clothing
# images for apps/scenes), chromium (the browser tests of apps/playground) and
# slurm-wlm + munge (the one-node Slurm cluster the sweep tests submit to).
missing=()
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
[ -d /usr/share/datasets/fashion-mnist ] || missing+=(dataset-fashion-mnist)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v slurmctld >/dev/null 2>&1 || missing+=(slurm-wlm)
command -v munged >/dev/null 2>&1 || missing+=(munge)
. scripts/lib/apt-install.sh
apt_install setup "apps/av-digits needs espeak-ng, apps/scenes dataset-fashion-mnist, the browser tests chromium, the Slurm tests slurm-wlm and munge" ${missing[@]+"${missing[@]}"}

pnpm install --frozen-lockfile
pnpm build
