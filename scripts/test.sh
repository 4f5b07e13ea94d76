#!/usr/bin/env bash
# scripts/test.sh -- the one test command of cspstack.
#
#   scripts/test.sh [extra mvn arguments...]
#
# As root (the normal case, and always in CI):
#   1. installs the Debian packages the tests need, if any is missing;
#   2. rebuilds the lab from scratch (scripts/lab.sh down; scripts/lab.sh up)
#      and tears it down again on exit, whatever happens;
#   3. runs the whole Maven suite INCLUDING the tests tagged "lab" (interop
#      with the Linux kernel in the lab), with CSPSTACK_LAB=1 in the
#      environment so those tests can assert that the lab exists;
#   4. when the suite passed and no extra arguments were given, model-checks
#      the default stack's wiring with spin (./cspstack model --check: no
#      reachable deadlock). ModelCommandTest in the suite checks it too, and
#      that a mis-wired stack deadlocks; this step prints the verdict.
# As a normal user: runs the suite without the "lab" tests, with a loud
# warning -- except when CI=true, where that is an error (exit 2): CI must
# never skip the interop tests silently.
#
# Exits with Maven's status, or the model check's when Maven succeeded.
set -euo pipefail

PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"

prog=test.sh
LAB="$ROOT/scripts/lab.sh"

# Debian packages the test suite relies on (scripts/lab.sh up adds the lab's
# and the reproduction's own).
PACKAGES=(libpcap0.8 iproute2 ethtool iputils-ping netcat-openbsd socat tcpdump
          python3-scapy jq procps iptables spin gcc graphviz)

# shellcheck source=scripts/packages.sh
. "$ROOT/scripts/packages.sh"

banner() {
    local line='##########################################################################'
    {
        echo "$line"
        local l
        for l in "$@"; do printf '#  %s\n' "$l"; done
        echo "$line"
    } >&2
}

if ! command -v mvn >/dev/null 2>&1; then
    echo "$prog: error: mvn (Maven) not found on PATH" >&2
    exit 1
fi

MVN_ARGS=(-B -ntp verify)
mvn_pid=

# shellcheck disable=SC2317  # invoked from the traps below
on_signal() {
    local sig=$1 code=$2
    trap - "$sig"
    echo "$prog: caught SIG$sig, stopping" >&2
    if [[ -n $mvn_pid ]]; then
        kill -TERM "$mvn_pid" 2>/dev/null || true
        wait "$mvn_pid" 2>/dev/null || true
    fi
    exit "$code"    # as root, the EXIT trap then takes the lab down
}
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM
trap 'on_signal HUP 129' HUP

if [[ $(id -u) -eq 0 ]]; then
    install_packages "$prog" "${PACKAGES[@]}"

    # shellcheck disable=SC2317  # invoked from the EXIT trap
    lab_cleanup() {
        bash "$LAB" down || echo "$prog: warning: 'lab.sh down' failed" >&2
    }
    trap lab_cleanup EXIT

    bash "$LAB" down >/dev/null          # clean start
    bash "$LAB" up
    if ! bash "$LAB" status >/dev/null; then
        bash "$LAB" status >&2 || true
        echo "$prog: error: the lab did not come up" >&2
        exit 1
    fi
    export CSPSTACK_LAB=1
    MVN_ARGS+=(-DexcludedGroups= -Dgroups=)
    echo "$prog: lab is up; running the full suite including the 'lab' interop tests"
else
    if [[ ${CI:-} == true ]]; then
        banner "ERROR: scripts/test.sh runs as a normal user under CI=true." \
               "The 'lab' interop tests need root, and CI must never skip them." \
               "Run CI as root."
        exit 2
    fi
    banner "WARNING: not running as root -- the 'lab' interop tests are EXCLUDED." \
           "They need root to build the lab (network namespaces, veth links)." \
           "For the full suite run:  sudo scripts/test.sh"
    unset CSPSTACK_LAB
    mapfile -t missing < <(missing_packages "${PACKAGES[@]}")
    if ((${#missing[@]})); then
        echo "$prog: warning: missing Debian packages (run as root to install): ${missing[*]}" >&2
    fi
fi

echo "$prog: mvn ${MVN_ARGS[*]} $*"
# Maven runs in the background so a signal to this script is handled at
# once (the trap stops Maven and takes the lab down) instead of after Maven.
set +e
mvn "${MVN_ARGS[@]}" "$@" &
mvn_pid=$!
wait "$mvn_pid"
rc=$?
set -e
mvn_pid=

# The model check of the wiring: spin must find no deadlock in the default stack's Promela model.
if ((rc == 0 && $# == 0)); then
    if command -v spin >/dev/null 2>&1 && command -v gcc >/dev/null 2>&1; then
        echo "$prog: model check of the default stack's wiring: ./cspstack model --check"
        set +e
        "$ROOT/cspstack" model --check
        rc=$?
        set -e
    elif [[ ${CI:-} == true ]]; then
        echo "$prog: error: spin or gcc missing under CI=true: the model check cannot run" >&2
        rc=2
    else
        banner "WARNING: spin or gcc not installed -- the model check of the wiring was NOT run." \
               "Install them (apt-get install spin gcc) or run: sudo scripts/test.sh"
    fi
fi
if [[ $(id -u) -ne 0 ]]; then
    banner "REMINDER: the 'lab' interop tests were NOT run (not root)."
fi
exit "$rc"
