# shellcheck shell=bash
# scripts/packages.sh -- Debian packages for cspstack's scripts: sourced, not run.
#
#   . scripts/packages.sh
#   missing_packages PACKAGE...          prints, one a line, those not installed
#   install_packages PROG PACKAGE...     as root: installs the missing ones with
#                                        apt-get, saying which first; returns
#                                        apt-get's status (0 when none missing)
#
# Used by scripts/test.sh (what the test suite needs) and scripts/lab.sh up
# (what the lab and `cspstack reproduce` need). On a system without dpkg or
# apt-get nothing is installed and a warning says so.

missing_packages() {
    local p status
    command -v dpkg-query >/dev/null 2>&1 || return 0   # not Debian: cannot tell
    for p in "$@"; do
        status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) || status=
        [[ $status == installed ]] || echo "$p"
    done
}

install_packages() {
    local prog=$1 missing
    shift
    mapfile -t missing < <(missing_packages "$@")
    ((${#missing[@]})) || return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "$prog: warning: missing packages ${missing[*]} and no apt-get to install them" >&2
        return 0
    fi
    echo "$prog: installing missing packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq &&
        apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
