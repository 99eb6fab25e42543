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

# Debian packages the reference apps read: espeak-ng (speech for apps/av-digits)
# and Fashion-MNIST (clothing images for apps/scenes).
missing=()
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
[ -d /usr/share/datasets/fashion-mnist ] || missing+=(dataset-fashion-mnist)
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    echo "setup: installing ${missing[*]} (data for the reference apps)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null) \
      || echo "setup: could not install ${missing[*]}; the apps that need them explain how to install them"
  else
    echo "setup: ${missing[*]} missing; install with: sudo apt-get install ${missing[*]} (apps/av-digits needs espeak-ng, apps/scenes needs dataset-fashion-mnist)"
  fi
fi

pnpm install --frozen-lockfile
pnpm build
