#!/usr/bin/env bash
# Installs everything polyfuse needs on a machine with Node 20 and npm:
# pnpm 10, espeak-ng (speech for the av-digits app) when apt is available,
# the workspace's packages, and a build of every package.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v pnpm >/dev/null 2>&1 || ! pnpm --version 2>/dev/null | grep -q '^10\.'; then
  echo "setup: installing pnpm 10 with npm"
  npm install -g pnpm@10 >/dev/null
fi

if ! command -v espeak-ng >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    echo "setup: installing espeak-ng (speech synthesis for apps/av-digits)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng >/dev/null) \
      || echo "setup: could not install espeak-ng; apps/av-digits will explain how to install it"
  else
    echo "setup: espeak-ng is missing; install it (Debian/Ubuntu: sudo apt-get install espeak-ng, macOS: brew install espeak-ng) to run apps/av-digits"
  fi
fi

pnpm install --frozen-lockfile
pnpm build
