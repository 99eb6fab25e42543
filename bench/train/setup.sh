#!/usr/bin/env bash
# What `pnpm bench:train` needs beside the built packages: Debian's PyTorch and
# torchaudio for the PyTorch rows (W3's log-mel is torchaudio's), and
# espeak-ng for the av-digits data of W3. Installs only what is missing, with
# apt when it runs as root; otherwise it says what to install and the bench
# leaves those rows out.
set -euo pipefail
missing=()
/usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || missing+=(python3-torch)
/usr/bin/python3 -c 'import torchaudio' >/dev/null 2>&1 || missing+=(python3-torchaudio)
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
. "$(dirname "$0")/../../scripts/lib/apt-install.sh"
apt_install "bench setup" "the PyTorch and W3 rows that need them are skipped" ${missing[@]+"${missing[@]}"}
