# Sourced by the setup scripts: installs the Debian packages named in "$@"
# with apt when running as root, else prints the command to run. Never fails
# the caller: whatever needs a missing package says so itself.
#   apt_install <label> <why, shown when it cannot install> <package>...
apt_install() {
  local label="$1" why="$2"
  shift 2
  [ $# -eq 0 ] && return 0
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    echo "$label: installing $*"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null) \
      || echo "$label: could not install $*; $why"
  else
    echo "$label: $* missing; install with: sudo apt-get install $* ($why)"
  fi
}
