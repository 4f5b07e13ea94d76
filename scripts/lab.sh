#!/usr/bin/env bash
# scripts/lab.sh -- the cspstack interop lab: Linux network namespaces joined
# by veth pairs, so the user-space stack can talk to real Linux kernels
# without touching any real network.
#
#   root namespace                 netns csplab                 netns csplabref
#   +-------------+   veth   +----------------------+   veth   +----------------+
#   |  csplab0    |----------| csplab1 198.18.0.1/24 |          |                |
#   |  (stack,    |          | ip_forward=1          |          |                |
#   |  no IP)     |          | cspref1 198.18.1.1/24 |----------| cspref0        |
#   +-------------+          +----------------------+          | 198.18.1.2/24  |
#                                                              | 198.18.0.0/24  |
#                                                              |  via .1.1      |
#                                                              +----------------+
#
# The stack opens csplab0 with pcap and owns an address in 198.18.0.0/24
# (for example 198.18.0.2); the kernel in csplab is its directly connected
# peer, the kernel in csplabref is one routed hop away.
#
# Usage: scripts/lab.sh up|down|status       (needs root)
#   up      make the lab; idempotent, completes a half-made lab; first
#           installs the Debian packages that the lab and `cspstack
#           reproduce` need when any is missing (see PACKAGES below)
#   down    remove the lab; never fails when nothing is there
#   status  show the lab; exit 0 when it is completely up, 1 otherwise
#
# Only 198.18.0.0/15 (RFC 2544 benchmarking) addresses are used; the root
# namespace gets no address and no route; net.ipv4.ip_forward is only set
# inside csplab.
set -euo pipefail

# Non-root shells (and some sudo configurations) lack the sbin directories.
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

readonly NS=csplab            # the kernel peer directly connected to the stack
readonly REFNS=csplabref      # a second kernel, one routed hop away
readonly STACK_IF=csplab0     # root namespace: the stack's side, no address
readonly PEER_IF=csplab1      # in $NS
readonly REF_A=cspref1        # in $NS
readonly REF_B=cspref0        # in $REFNS
readonly PEER_ADDR=198.18.0.1/24
readonly REF_A_ADDR=198.18.1.1/24
readonly REF_B_ADDR=198.18.1.2/24
readonly STACK_NET=198.18.0.0/24
readonly REF_GW=198.18.1.1
readonly OFFLOADS=(tx rx tso gso gro)

# Debian packages 'up' installs when missing: the lab's tools (ip, ethtool,
# sysctl), then what the experiments of `cspstack reproduce` call: libpcap
# (the stack's link), ping, nc -N, python3 (a TCP server), ss (iproute2), a C
# compiler with the C library's headers (the udp and spawn experiments' C
# programs) and Go (goroutines in the spawn experiment).
readonly PACKAGES=(iproute2 ethtool procps libpcap0.8 iputils-ping netcat-openbsd
                   python3 gcc libc6-dev golang-go)

# shellcheck source=scripts/packages.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/packages.sh"

prog=${0##*/}

die() { echo "$prog: error: $*" >&2; exit 1; }
say() { echo "$prog: $*"; }

usage() {
    cat >&2 <<EOF
usage: $prog up|down|status     (needs root)
  up      create the lab (namespaces $NS and $REFNS, veth $STACK_IF<->$PEER_IF, $REF_A<->$REF_B)
  down    remove the lab
  status  show the lab; exit 0 if it is up, 1 otherwise
EOF
}

need_root() {
    if [[ $(id -u) -ne 0 ]]; then
        echo "$prog: error: '$1' needs root (it works on network namespaces and veth links)." >&2
        echo "$prog: run it as: sudo $0 $1" >&2
        exit 1
    fi
}

ensure_packages() {
    local missing
    mapfile -t missing < <(missing_packages "${PACKAGES[@]}")
    ((${#missing[@]})) || return 0
    say "the lab and 'cspstack reproduce' need Debian packages that are missing: ${missing[*]}"
    if ! install_packages "$prog" "${missing[@]}"; then
        echo "$prog: warning: apt-get could not install ${missing[*]}; the experiments that need them" \
             "will fail or report 'not measured'" >&2
    fi
}

need_tools() {
    local t pkg missing=()
    for t in ip:iproute2 ethtool:ethtool sysctl:procps; do
        pkg=${t#*:}; t=${t%%:*}
        command -v "$t" >/dev/null 2>&1 || missing+=("$t (Debian package $pkg)")
    done
    if ((${#missing[@]})); then
        die "missing tools: ${missing[*]}; install them with apt-get install iproute2 ethtool procps"
    fi
}

# ---------------------------------------------------------------- helpers ---
# All helpers take a namespace name first; "" means the root namespace.

ipn() {
    local ns=$1; shift
    if [[ -n $ns ]]; then ip -n "$ns" "$@"; else ip "$@"; fi
}

inns() {
    local ns=$1; shift
    if [[ -n $ns ]]; then ip netns exec "$ns" "$@"; else "$@"; fi
}

ns_exists() {
    local list
    list=$(ip netns list 2>/dev/null | awk '{print $1}') || true
    grep -qxF -- "$1" <<<"$list"
}

link_exists() {
    local ns=$1 dev=$2
    if [[ -n $ns ]] && ! ns_exists "$ns"; then return 1; fi
    ipn "$ns" link show dev "$dev" >/dev/null 2>&1
}

# "<ifindex> <peer ifindex>" of a veth end (the peer's index is the one in
# the peer's own namespace, as the veth driver reports it).
veth_indexes() {
    local line idx peer
    line=$(ipn "$1" -o link show dev "$2" 2>/dev/null) || return 1
    idx=${line%%:*}
    peer=$(inns "$1" ethtool -S "$2" 2>/dev/null | awk '$1 == "peer_ifindex:" {print $2}') || return 1
    [[ $idx =~ ^[0-9]+$ && $peer =~ ^[0-9]+$ ]] || return 1
    echo "$idx $peer"
}

# Are $ns_a/$dev_a and $ns_b/$dev_b the two ends of one veth pair?
paired() {
    local a b
    a=$(veth_indexes "$1" "$2") || return 1
    b=$(veth_indexes "$3" "$4") || return 1
    [[ -n $a && -n $b ]] || return 1
    [[ ${a#* } == "${b% *}" && ${b#* } == "${a% *}" ]]
}

is_veth() {
    ipn "$1" -d link show dev "$2" 2>/dev/null | grep -q 'veth'
}

link_up() {
    local line
    line=$(ipn "$1" -o link show dev "$2" 2>/dev/null) || return 1
    [[ $line =~ [\<,]UP[,\>] ]]
}

# Set a sysctl in a namespace ("" = root); IPv6 keys are skipped when the
# kernel has no IPv6 at all (then it is as disabled as it gets).
set_sysctl() {
    local ns=$1 key=$2 val=$3
    if [[ $key == net.ipv6.* && ! -d /proc/sys/net/ipv6 ]]; then return 0; fi
    inns "$ns" sysctl -qw "$key=$val" >/dev/null
}

get_sysctl() {
    local ns=$1 key=$2
    inns "$ns" sysctl -n "$key" 2>/dev/null || echo "?"
}

# Turn the offloads off one by one, so that a feature the driver cannot
# change ("[fixed]") does not stop the others.
offloads_off() {
    local ns=$1 dev=$2 f
    for f in "${OFFLOADS[@]}"; do
        inns "$ns" ethtool -K "$dev" "$f" off >/dev/null 2>&1 || true
    done
}

# Prints the offload features that are still on although they could change.
offloads_still_on() {
    local ns=$1 dev=$2
    inns "$ns" ethtool -k "$dev" 2>/dev/null | awk -F': ' '
        /^(tx-checksumming|rx-checksumming|tcp-segmentation-offload|generic-segmentation-offload|generic-receive-offload):/ {
            if ($2 ~ /^on/ && $2 !~ /\[fixed\]/) printf "%s ", $1
        }'
}

# ------------------------------------------------------------------- up -----

ensure_ns() {
    local ns=$1
    if ns_exists "$ns"; then
        if ! ip -n "$ns" link show lo >/dev/null 2>&1; then
            # A name without a live namespace behind it (stale mount): redo it.
            ip netns del "$ns" 2>/dev/null || true
            ip netns add "$ns"
            say "recreated stale namespace $ns"
        fi
    else
        ip netns add "$ns"
        say "created namespace $ns"
    fi
    # IPv6 off in the whole namespace before any link comes up: no link-local
    # addresses, no DAD, router or MLD solicitations on the wire.
    set_sysctl "$ns" net.ipv6.conf.all.disable_ipv6 1
    set_sysctl "$ns" net.ipv6.conf.default.disable_ipv6 1
    ip -n "$ns" link set lo up
}

ensure_stack_pair() {
    # Half-made: csplab1 never moved out of the root namespace.
    if link_exists "" "$PEER_IF"; then
        if link_exists "" "$STACK_IF" && paired "" "$STACK_IF" "" "$PEER_IF"; then
            ip link set "$PEER_IF" netns "$NS"
            say "moved $PEER_IF into $NS"
        else
            ip link del "$PEER_IF"
            say "removed stray $PEER_IF from the root namespace"
        fi
    fi
    if link_exists "" "$STACK_IF"; then
        is_veth "" "$STACK_IF" || die "$STACK_IF exists but is not a veth; remove it first (ip link del $STACK_IF)"
        if ! paired "" "$STACK_IF" "$NS" "$PEER_IF"; then
            ip link del "$STACK_IF"
            say "removed $STACK_IF (its peer was not $PEER_IF in $NS)"
        fi
    fi
    if link_exists "$NS" "$PEER_IF" && ! link_exists "" "$STACK_IF"; then
        ip -n "$NS" link del "$PEER_IF"
        say "removed orphan $PEER_IF from $NS"
    fi
    if ! link_exists "" "$STACK_IF"; then
        ip link add "$STACK_IF" type veth peer name "$PEER_IF" netns "$NS"
        say "created veth $STACK_IF (root namespace) <-> $PEER_IF ($NS)"
    fi

    # The stack's side: the host kernel must neither talk nor answer here.
    # IPv6 off before the link comes up (no link-local address, no DAD/RS).
    set_sysctl "" "net.ipv6.conf.$STACK_IF.disable_ipv6" 1
    set_sysctl "" "net.ipv4.conf.$STACK_IF.forwarding" 0
    set_sysctl "" "net.ipv4.conf.$STACK_IF.arp_ignore" 8
    set_sysctl "" "net.ipv4.conf.$STACK_IF.arp_announce" 2
    # Strict reverse-path filter: a packet the stack sends to one of the
    # host's own addresses is dropped instead of answered via another link.
    set_sysctl "" "net.ipv4.conf.$STACK_IF.rp_filter" 1
    if [[ -n $(ip -o addr show dev "$STACK_IF") ]]; then
        ip addr flush dev "$STACK_IF"
        say "flushed addresses from $STACK_IF (the stack's side has none)"
    fi
    offloads_off "" "$STACK_IF"
    ip link set "$STACK_IF" up

    set_sysctl "$NS" "net.ipv6.conf.$PEER_IF.disable_ipv6" 1
    offloads_off "$NS" "$PEER_IF"
    ip -n "$NS" addr replace "$PEER_ADDR" dev "$PEER_IF"
    ip -n "$NS" link set "$PEER_IF" up
}

ensure_ref_pair() {
    # Half-made: cspref0 never moved from csplab to csplabref.
    if link_exists "$NS" "$REF_B"; then
        if link_exists "$NS" "$REF_A" && paired "$NS" "$REF_A" "$NS" "$REF_B"; then
            ip -n "$NS" link set "$REF_B" netns "$REFNS"
            say "moved $REF_B into $REFNS"
        else
            ip -n "$NS" link del "$REF_B"
            say "removed stray $REF_B from $NS"
        fi
    fi
    if link_exists "$NS" "$REF_A" && ! paired "$NS" "$REF_A" "$REFNS" "$REF_B"; then
        ip -n "$NS" link del "$REF_A"
        say "removed $REF_A (its peer was not $REF_B in $REFNS)"
    fi
    if link_exists "$REFNS" "$REF_B" && ! link_exists "$NS" "$REF_A"; then
        ip -n "$REFNS" link del "$REF_B"
        say "removed orphan $REF_B from $REFNS"
    fi
    if ! link_exists "$NS" "$REF_A"; then
        ip -n "$NS" link add "$REF_A" type veth peer name "$REF_B" netns "$REFNS"
        say "created veth $REF_A ($NS) <-> $REF_B ($REFNS)"
    fi

    set_sysctl "$NS" "net.ipv6.conf.$REF_A.disable_ipv6" 1
    offloads_off "$NS" "$REF_A"
    ip -n "$NS" addr replace "$REF_A_ADDR" dev "$REF_A"
    ip -n "$NS" link set "$REF_A" up

    set_sysctl "$REFNS" "net.ipv6.conf.$REF_B.disable_ipv6" 1
    offloads_off "$REFNS" "$REF_B"
    ip -n "$REFNS" addr replace "$REF_B_ADDR" dev "$REF_B"
    ip -n "$REFNS" link set "$REF_B" up
    ip -n "$REFNS" route replace "$STACK_NET" via "$REF_GW" dev "$REF_B"
}

cmd_up() {
    need_root up
    ensure_packages
    need_tools
    ensure_ns "$NS"
    ensure_ns "$REFNS"
    # Routing between the stack's subnet and csplabref: namespaced sysctl,
    # inside csplab only -- never the root namespace's ip_forward.
    set_sysctl "$NS" net.ipv4.ip_forward 1
    ensure_stack_pair
    ensure_ref_pair

    if ! check_lab >/dev/null; then
        check_lab >&2 || true
        die "the lab is not complete after 'up' (see the checks above)"
    fi
    local mac0 mac1
    mac0=$(ip -o link show dev "$STACK_IF" | sed -nE 's/.*link\/ether ([0-9a-f:]+).*/\1/p')
    mac1=$(ip -n "$NS" -o link show dev "$PEER_IF" | sed -nE 's/.*link\/ether ([0-9a-f:]+).*/\1/p')
    cat <<EOF
$prog: lab is up:
  $STACK_IF  root namespace, the stack's side: up, no IP address, IPv6 off, forwarding off,
           arp_ignore=8 arp_announce=2, offloads off, mac $mac0
  $PEER_IF  netns $NS: $PEER_ADDR, mac $mac1, offloads off   (the stack's next hop: ${PEER_ADDR%/*})
  $REF_A  netns $NS: $REF_A_ADDR, offloads off   ($NS has net.ipv4.ip_forward=1)
  $REF_B  netns $REFNS: $REF_B_ADDR, offloads off, route $STACK_NET via $REF_GW
  IPv6 is disabled in both namespaces; lo is up in both.
  The stack may use any address in $STACK_NET except ${PEER_ADDR%/*} (for example 198.18.0.2).
EOF
}

# ----------------------------------------------------------------- down -----

# Processes left running inside a lab namespace would keep it (and its
# links) alive after 'ip netns del'; they belong to the lab, so end them.
end_ns_processes() {
    local ns=$1 pids
    pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ') || true
    [[ -n ${pids// /} ]] || return 0
    say "ending processes still running in $ns: $pids"
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ') || true
        [[ -n ${pids// /} ]] || return 0
        sleep 0.2
    done
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
}

cmd_down() {
    need_root down
    need_tools
    local removed=0
    # Delete the links explicitly first: namespace teardown is asynchronous,
    # and an immediate 'up' must not trip over a dying csplab0.
    if link_exists "" "$STACK_IF"; then
        ip link del "$STACK_IF" 2>/dev/null || true
        say "removed $STACK_IF (and its peer $PEER_IF)"; removed=1
    fi
    if link_exists "" "$PEER_IF"; then
        ip link del "$PEER_IF" 2>/dev/null || true
        say "removed $PEER_IF from the root namespace"; removed=1
    fi
    if link_exists "$NS" "$REF_A"; then
        ip -n "$NS" link del "$REF_A" 2>/dev/null || true
        say "removed $REF_A (and its peer $REF_B)"; removed=1
    fi
    local ns
    for ns in "$REFNS" "$NS"; do
        if ns_exists "$ns"; then
            end_ns_processes "$ns"
            ip netns del "$ns" 2>/dev/null || true
            say "removed namespace $ns"; removed=1
        fi
    done
    # Wait (briefly) until the kernel has really let go of csplab0.
    for _ in $(seq 1 50); do
        link_exists "" "$STACK_IF" || break
        ip link del "$STACK_IF" 2>/dev/null || true
        sleep 0.1
    done
    if link_exists "" "$STACK_IF"; then
        echo "$prog: warning: $STACK_IF is still present" >&2
    fi
    if ((removed)); then say "lab is down"; else say "lab was not up; nothing to remove"; fi
    return 0
}

# --------------------------------------------------------------- status -----

# Prints one line per check; returns 0 when all pass.
check_lab() {
    local fail=0
    ok()  { printf '  ok    %s\n' "$*"; }
    bad() { printf '  FAIL  %s\n' "$*"; fail=1; }
    chk() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
    has_addr() { ipn "$1" -o -4 addr show dev "$2" 2>/dev/null | grep -qF " inet $3 "; }
    no_addr() { [[ -z $(ipn "$1" -o addr show dev "$2" 2>/dev/null) ]]; }
    sysctl_is() { [[ $(get_sysctl "$1" "$2") == "$3" ]]; }
    has_route() { ip -n "$REFNS" -4 route show "$STACK_NET" 2>/dev/null | grep -qF "via $REF_GW"; }
    offl() {
        local on
        on=$(offloads_still_on "$1" "$2")
        if [[ -z $on ]]; then ok "offloads off on $2"; else bad "offloads still on on $2: $on"; fi
    }

    chk "namespace $NS exists" ns_exists "$NS"
    chk "namespace $REFNS exists" ns_exists "$REFNS"
    chk "$STACK_IF is up in the root namespace" link_up "" "$STACK_IF"
    chk "$STACK_IF <-> $PEER_IF ($NS) are one veth pair" paired "" "$STACK_IF" "$NS" "$PEER_IF"
    chk "$STACK_IF has no IP address" no_addr "" "$STACK_IF"
    if [[ -d /proc/sys/net/ipv6 ]]; then
        chk "$STACK_IF: IPv6 disabled" sysctl_is "" "net.ipv6.conf.$STACK_IF.disable_ipv6" 1
    fi
    chk "$STACK_IF: forwarding off" sysctl_is "" "net.ipv4.conf.$STACK_IF.forwarding" 0
    chk "$STACK_IF: arp_ignore=8" sysctl_is "" "net.ipv4.conf.$STACK_IF.arp_ignore" 8
    chk "$STACK_IF: arp_announce=2" sysctl_is "" "net.ipv4.conf.$STACK_IF.arp_announce" 2
    link_exists "" "$STACK_IF" && offl "" "$STACK_IF"
    chk "$PEER_IF is up in $NS" link_up "$NS" "$PEER_IF"
    chk "$PEER_IF has $PEER_ADDR" has_addr "$NS" "$PEER_IF" "$PEER_ADDR"
    link_exists "$NS" "$PEER_IF" && offl "$NS" "$PEER_IF"
    chk "lo is up in $NS" link_up "$NS" lo
    chk "net.ipv4.ip_forward=1 in $NS" sysctl_is "$NS" net.ipv4.ip_forward 1
    if [[ -d /proc/sys/net/ipv6 ]]; then
        chk "IPv6 disabled in $NS" sysctl_is "$NS" net.ipv6.conf.all.disable_ipv6 1
    fi
    chk "$REF_A ($NS) <-> $REF_B ($REFNS) are one veth pair" paired "$NS" "$REF_A" "$REFNS" "$REF_B"
    chk "$REF_A is up with $REF_A_ADDR" has_addr "$NS" "$REF_A" "$REF_A_ADDR"
    chk "$REF_B is up with $REF_B_ADDR" has_addr "$REFNS" "$REF_B" "$REF_B_ADDR"
    link_exists "$NS" "$REF_A" && offl "$NS" "$REF_A"
    link_exists "$REFNS" "$REF_B" && offl "$REFNS" "$REF_B"
    chk "lo is up in $REFNS" link_up "$REFNS" lo
    chk "route $STACK_NET via $REF_GW in $REFNS" has_route
    return "$fail"
}

cmd_status() {
    need_root status
    need_tools
    echo "namespaces:"
    ip netns list | sed 's/^/  /'
    echo "root namespace:"
    if link_exists "" "$STACK_IF"; then
        ip -br link show dev "$STACK_IF" | sed 's/^/  /'
        ip -br addr show dev "$STACK_IF" | sed 's/^/  /'
    else
        echo "  $STACK_IF: absent"
    fi
    local ns
    for ns in "$NS" "$REFNS"; do
        echo "netns $ns:"
        if ns_exists "$ns"; then
            ip -n "$ns" -br link | sed 's/^/  link  /'
            ip -n "$ns" -br addr | sed 's/^/  addr  /'
            ip -n "$ns" -4 route | sed 's/^/  route /'
        else
            echo "  absent"
        fi
    done
    echo "checks:"
    if check_lab; then
        echo "lab is UP"
        return 0
    fi
    echo "lab is NOT up (run: sudo $0 up)"
    return 1
}

# ----------------------------------------------------------------- main -----

case ${1:-} in
    up)     cmd_up ;;
    down)   cmd_down ;;
    status) cmd_status ;;
    -h|--help|help) usage; exit 0 ;;
    *)      usage; exit 2 ;;
esac
