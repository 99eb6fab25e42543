#!/usr/bin/env bash
# Quick-start command 2: installs everything, then runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
pnpm test
