#!/usr/bin/env bash
# Quick-start command 1: installs everything, generates the audio-visual digits
# data (MNIST images + espeak-ng speech), trains the fused model and prints
# its test accuracy and macro-F1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
pnpm --filter @polyfuse/app-av-digits start
