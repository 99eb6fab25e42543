#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine for the Slurm sweep tests and
# for trying `polyfuse sweep --executor slurm` locally: a munge key, a
# slurm.conf naming this host with its CPUs and memory (`slurmd -C`), then
# munged, slurmctld and slurmd, and waits until `sinfo` shows the node idle.
#
# Everything lives in one folder ($POLYFUSE_SLURM_DIR, default
# /var/tmp/polyfuse-slurm): key, config, state, spool, logs and the pid files
# of the daemons this script started, which is all that stop-cluster.sh stops.
# Nothing is written to /etc: clients find the cluster through SLURM_CONF, so
#
#   eval "$(bash scripts/slurm/start-cluster.sh --env)"   # exports SLURM_CONF
#   sbatch --wrap hostname
#   bash scripts/slurm/stop-cluster.sh
#
# Idempotent: when the daemons it started are still running and the node is
# up, it only prints the environment again. Needs root (munged and slurmd run
# as root, jobs run as the submitting user) and the Debian packages slurm-wlm
# and munge. Exit codes: 0 ready, 1 a daemon failed (its log tail is printed),
# 2 cannot run here (not root, binaries missing).
#
# Environment: POLYFUSE_SLURM_DIR (the folder), POLYFUSE_SLURM_TIMEOUT
# (seconds to wait for the node, default 60), POLYFUSE_SLURMCTLD_PORT and
# POLYFUSE_SLURMD_PORT (default 6817 and 6818).
set -euo pipefail

print_env=0
[ "${1:-}" = "--env" ] && print_env=1
# With --env, stdout carries only the export line (for eval); messages go to stderr.
say() { echo "start-cluster: $*" >&2; }

dir="${POLYFUSE_SLURM_DIR:-/var/tmp/polyfuse-slurm}"
timeout="${POLYFUSE_SLURM_TIMEOUT:-60}"
ctld_port="${POLYFUSE_SLURMCTLD_PORT:-6817}"
slurmd_port="${POLYFUSE_SLURMD_PORT:-6818}"
conf="$dir/slurm.conf"

finish() {
  if [ "$print_env" = 1 ]; then echo "export SLURM_CONF=$conf"; else say "ready: export SLURM_CONF=$conf"; fi
  exit 0
}

if [ "$(id -u)" != "0" ]; then
  say "needs root (munged and slurmd run as root); run it with sudo, or use an existing Slurm cluster"
  exit 2
fi
missing=()
for bin in munged mungekey slurmctld slurmd sinfo sbatch; do
  command -v "$bin" >/dev/null 2>&1 || missing+=("$bin")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "${missing[*]} not found; install them with: apt-get install slurm-wlm munge"
  exit 2
fi

# A pid file names a live process of the expected program (not a recycled pid).
running() {
  local pidfile="$dir/run/$1.pid"
  [ -s "$pidfile" ] || return 1
  local pid
  pid=$(cat "$pidfile")
  [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = "$1" ]
}

node_state() { SLURM_CONF="$conf" sinfo -h -N -o '%t' 2>/dev/null | head -n 1; }

if running munged && running slurmctld && running slurmd; then
  case "$(node_state)" in
    idle | mix | alloc) say "already running (state in $dir)"; finish ;;
  esac
fi

mkdir -p "$dir"
chmod 0755 "$dir"
mkdir -p "$dir/munge" "$dir/run" "$dir/log" "$dir/state" "$dir/spool"
chmod 0700 "$dir/state" "$dir/spool"
# Others may pass through to the socket (jobs of other users), but not list the folder.
chmod 0711 "$dir/munge"

# munge: a key of our own, a socket of our own (named in slurm.conf's AuthInfo).
key="$dir/munge/munge.key"
if [ ! -s "$key" ]; then
  mungekey --create --keyfile="$key" --bits=1024
fi
chmod 0400 "$key"
socket="$dir/munge/munge.socket"
if ! running munged; then
  rm -f "$socket" "$socket.lock"
  munged --socket="$socket" --key-file="$key" --pid-file="$dir/run/munged.pid" \
    --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed" --force
fi

# slurm.conf: this host as controller and only node, with what slurmd detects
# (CPUs, sockets, cores, threads, memory), so the node registers without a mismatch.
host=$(hostname -s)
hardware=$(slurmd -C | head -n 1 | sed -E 's/^NodeName=[^ ]+ //')
cat >"$conf.tmp" <<EOF
# Written by scripts/slurm/start-cluster.sh: a one-node cluster on $host.
ClusterName=polyfuse
SlurmctldHost=$host
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
# No cgroups: this may run inside a container; processes are tracked by parent pid.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
# No slurmdbd: sacct has no records, so polyfuse reads squeue and its own status files.
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
SlurmctldTimeout=30
SlurmdTimeout=30
MinJobAge=300
NodeName=$host $hardware State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
mv "$conf.tmp" "$conf"
export SLURM_CONF="$conf"

# Prints what failed with the last lines of each daemon's log, then exits 1.
fail() {
  say "$1"
  for log in munged slurmctld slurmd; do
    if [ -s "$dir/log/$log.log" ]; then
      echo "--- last lines of $dir/log/$log.log" >&2
      tail -n 15 "$dir/log/$log.log" >&2
    fi
  done
  exit 1
}

running munged || fail "munged did not start"
if ! running slurmctld; then
  slurmctld -f "$conf" || fail "slurmctld could not start"
fi
if ! running slurmd; then
  slurmd -f "$conf" || fail "slurmd could not start"
fi

started=$SECONDS
deadline=$((SECONDS + timeout))
state=""
while [ $SECONDS -lt $deadline ]; do
  state=$(node_state || true)
  case "$state" in
    idle | mix | alloc) finish ;;
    down* | drain* | inval*)
      # A node left down by an earlier run (ReturnToService covers most cases): bring it back.
      scontrol update nodename="$host" state=resume >/dev/null 2>&1 || true ;;
  esac
  # The daemons write their pid files a moment after they fork: allow 10 s before calling one dead.
  if [ $SECONDS -gt $((started + 10)) ]; then
    running slurmctld || fail "slurmctld exited"
    running slurmd || fail "slurmd exited"
  fi
  sleep 1
done
fail "node $host not idle after ${timeout}s (sinfo state: '${state:-none}')"
