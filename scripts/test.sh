#!/usr/bin/env bash
# Quick-start command 2: installs everything, then runs the whole test suite
# (turbo runs each package's vitest suite) and ends with one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

log=$(mktemp)
packs=$(mktemp -d)
trap 'rm -rf "$log" "$packs"' EXIT
status=0

# What `changeset publish` would upload: every package packed and inspected. The
# tarballs stay for the plugin test, which installs them in a project of its own.
node scripts/release/check-packs.mjs --keep "$packs" || status=1
export POLYFUSE_PACKS_DIR="$packs"

pnpm test 2>&1 | tee "$log" || status=$?

# Add up vitest's per-package "Tests  N passed | M failed" lines.
sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^\S+:test: +Tests +' | awk '
  { for (i = 1; i <= NF; i++) {
      if ($(i) ~ /^passed/) passed += $(i - 1)
      if ($(i) ~ /^failed/) failed += $(i - 1)
      if ($(i) ~ /^skipped/) skipped += $(i - 1)
  } }
  END { printf "tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }'

# Browser packages bundle with esbuild and Vite without Node built-ins; the checker's own
# tests, and an esbuild page and worker in Chromium (decoding, wasm from wasmPaths).
node scripts/browser/check-bundles.mjs || status=1
node --test scripts/browser/ || status=1

# The API reference builds with no TypeDoc warning, and every Markdown link resolves.
node scripts/docs/build-api.mjs || status=1
node scripts/docs/check-links.mjs || status=1
exit "$status"
