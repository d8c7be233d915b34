# Sourced by the suites that drive real servers and clients (tests/grants, tests/explain,
# tests/libpq): installing what is missing, once, the same way, and building the CLI they test.
# Each function reports through `say`, which the sourcing script defines with its own prefix.

# apt_install_missing PACKAGE... — apt-get installs the packages (the caller lists only the
# missing ones); refuses with a message when not root. Packages never start a system-wide
# server (policy-rc.d): the suites start their own, on loopback only.
apt_install_missing() {
  (($#)) || return 0
  if [[ $(id -u) != 0 ]]; then
    say "missing $* and not root: cannot apt-get install" >&2
    return 1
  fi
  say "apt-get install $*"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  local made_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  local status=0
  apt-get install -y -q --no-install-recommends "$@" >/dev/null || status=$?
  ((made_policy)) && rm -f /usr/sbin/policy-rc.d
  return "$status"
}

# pinned_venv VENV PYTHON IMPORTS PIN... — a venv at VENV holding exactly the PINs
# (`name==version`, extras allowed) with the modules IMPORTS (comma-separated) importable;
# installs only when something differs, so a second run costs one Python start.
pinned_venv() {
  local venv="$1" python="$2" imports="$3"
  shift 3
  if [[ ! -x $venv/bin/python ]]; then
    say "creating venv $venv"
    mkdir -p "$(dirname "$venv")"
    if ! "$python" -m venv "$venv" 2>/dev/null; then
      # Debian's python3 keeps venv (ensurepip) in a separate package
      rm -rf "$venv"
      apt_install_missing python3-venv || return 1
      "$python" -m venv "$venv" || return 1
    fi
  fi
  if "$venv/bin/python" - "$imports" "$@" <<'PY' 2>/dev/null; then
import importlib, sys
from importlib.metadata import version
for pin in sys.argv[2:]:
    name, want = pin.split("==")
    if version(name.split("[")[0]) != want:
        sys.exit(1)
for module in filter(None, sys.argv[1].split(",")):
    importlib.import_module(module)
PY
    say "venv packages present ($*)"
    return 0
  fi
  say "pip install $*"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@"
}

# suite_cli SUITE GIVEN — sets `cli` to the pg-preflight binary the suite tests: GIVEN (the
# value of the suite's own variable, e.g. "${GRANTS_CLI:-}") when set, else a fresh debug
# build (in CARGO_TARGET_DIR when set). On a failed build it prints the suite's summary line
# and returns 1.
suite_cli() {
  local suite="$1" given="${2:-}"
  if [[ -n $given ]]; then
    cli="$given"
    return 0
  fi
  if ! cargo build --quiet --bin pg-preflight; then
    echo "$suite: cargo build --bin pg-preflight failed"
    echo "$suite: 0 passed, 1 failed"
    return 1
  fi
  cli="${CARGO_TARGET_DIR:-$root/target}/debug/pg-preflight"
}
