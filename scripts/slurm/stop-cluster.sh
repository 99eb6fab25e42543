#!/usr/bin/env bash
# Stops the daemons scripts/slurm/start-cluster.sh started (slurmd, slurmctld,
# munged, in that order), found by the pid files in its folder
# ($POLYFUSE_SLURM_DIR, default /var/tmp/polyfuse-slurm); a pid whose process
# is not the expected program (recycled) is left alone. Jobs still running are
# cancelled first. Keeps the folder (key, config, logs) so the next start is
# quick; pass --clean to remove it too.
set -euo pipefail

dir="${POLYFUSE_SLURM_DIR:-/var/tmp/polyfuse-slurm}"
say() { echo "stop-cluster: $*" >&2; }

[ -d "$dir" ] || { say "nothing to stop: $dir does not exist"; exit 0; }

pid_of() {
  local pidfile="$dir/run/$1.pid"
  [ -s "$pidfile" ] || return 1
  local pid
  pid=$(cat "$pidfile")
  [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = "$1" ] && echo "$pid"
}

if pid_of slurmctld >/dev/null && command -v scancel >/dev/null 2>&1; then
  SLURM_CONF="$dir/slurm.conf" scancel --full --quiet --user="$(id -un)" 2>/dev/null || true
fi

for daemon in slurmd slurmctld munged; do
  if pid=$(pid_of "$daemon"); then
    kill -TERM "$pid"
    for _ in $(seq 1 100); do
      [ -d "/proc/$pid" ] || break
      sleep 0.1
    done
    if [ -d "/proc/$pid" ]; then
      say "$daemon ($pid) still running after 10s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    say "stopped $daemon ($pid)"
  fi
  rm -f "$dir/run/$daemon.pid"
done

if [ "${1:-}" = "--clean" ]; then
  rm -rf "$dir"
  say "removed $dir"
fi
