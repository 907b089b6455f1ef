#!/usr/bin/env bash
# shellcheck disable=SC2086 # the pid lists below are split into words on purpose
# Where the CPU of a request goes, process by process: run it while a load is running
# against a stack (for example the autosave phase of tests/bench/forms.sh). For SECONDS it
# counts the requests of the access log that match PATTERN and the CPU time (user + system,
# /proc/PID/stat) that the stack's own processes used meanwhile — MariaDB, the vsokd
# workers of both pools, nginx's workers — and prints each process kind's CPU per request
# in milliseconds. Other processes (the load's client, another stack) are not counted, so
# a shared machine changes the figures only through contention.
#
#   tests/bench/cpu-split.sh VAR SECONDS PATTERN
#   e.g. tests/bench/cpu-split.sh var/bench 8 'PATCH /api/v1/submissions/[0-9]+ 200'
set -euo pipefail
VAR=${1:?state directory of the stack (var/bench)}
SECONDS_=${2:?seconds to sample}
PATTERN=${3:?extended regular expression of the access log lines to count}
LOG=$VAR/log/vsokd.log
TICK=$(getconf CLK_TCK)

pid_of() { if [[ -r $1 ]]; then cat "$1"; fi; }
# the pids of one kind: the process in the pid file and its children
family() {
    local top
    top=$(pid_of "$1")
    [[ -n $top ]] || return 0
    echo "$top"
    pgrep -P "$top" || true
}
ticks() { # pid...: user + system ticks, summed over the living ones
    local sum=0 p f
    for p in "$@"; do
        f=$(cut -d' ' -f14,15 "/proc/$p/stat" 2>/dev/null) || continue
        sum=$((sum + ${f% *} + ${f#* }))
    done
    echo "$sum"
}

declare -A PIDS
PIDS[mariadbd]=$(family "$VAR/run/mysqld.pid" | paste -sd' ')
PIDS[vsokd]=$(family "$VAR/run/vsokd.pid" | paste -sd' ')
PIDS[nginx]=$(family "$VAR/nginx/nginx.pid" | paste -sd' ')

declare -A BEFORE
for k in "${!PIDS[@]}"; do BEFORE[$k]=$(ticks ${PIDS[$k]}); done
n0=$(grep -cE "$PATTERN" "$LOG" || true)
sleep "$SECONDS_"
n1=$(grep -cE "$PATTERN" "$LOG" || true)
requests=$((n1 - n0))
echo "cpu split over ${SECONDS_} s: $requests requests matching '$PATTERN'"
((requests > 0)) || exit 1
total=0
for k in mariadbd vsokd nginx; do
    t=$(($(ticks ${PIDS[$k]}) - BEFORE[$k]))
    total=$((total + t))
    awk -v k="$k" -v t="$t" -v hz="$TICK" -v n="$requests" \
        'BEGIN { printf "  %-9s %7.3f ms CPU per request\n", k, t * 1000 / hz / n }'
done
awk -v t="$total" -v hz="$TICK" -v n="$requests" \
    'BEGIN { printf "  %-9s %7.3f ms CPU per request\n", "together", t * 1000 / hz / n }'
