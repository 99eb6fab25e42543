#!/usr/bin/env bash
# Quick-start command 2: installs everything, then runs the whole test suite
# (turbo runs each package's vitest suite) and ends with one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
pnpm test 2>&1 | tee "$log" || status=$?

# Add up vitest's per-package "Tests  N passed | M failed" lines.
sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^\S+:test: +Tests +' | awk '
  { for (i = 1; i <= NF; i++) {
      if ($(i) ~ /^passed/) passed += $(i - 1)
      if ($(i) ~ /^failed/) failed += $(i - 1)
      if ($(i) ~ /^skipped/) skipped += $(i - 1)
  } }
  END { printf "tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }'

# What `changeset publish` would upload: every package packed and inspected.
node scripts/release/check-packs.mjs || status=1
# The API reference builds with no TypeDoc warning, and every Markdown link resolves.
node scripts/docs/build-api.mjs || status=1
node scripts/docs/check-links.mjs || status=1
exit "$status"
