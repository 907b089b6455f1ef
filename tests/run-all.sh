#!/usr/bin/env bash
# Runs every test suite of ВСОК ДО against a running test stack and ends with one line
# `N passed, N failed` (the sum over all suites). `make test` starts the stack, calls this,
# and stops the stack; see docs/runtime.md.
#
#   unit        build/unit/test_* (cmocka; "[  PASSED  ] N test(s)." / "[  FAILED  ] N test(s)")
#   code        node --test --test-reporter=tap tests/code/  (the source tree's own rules)
#   api         node --test --test-reporter=tap tests/api/   ("# pass N" / "# fail N")
#   e2e         node --test --test-reporter=tap tests/e2e/
#   sanitizers  no AddressSanitizer / UBSan report in $VAR/log/vsokd.log (and vsokd.log.1)
#
# A unit binary that exits non-zero without reporting a failure (a crash, a sanitizer
# report) counts as one failure, and so does a node run that fails without one. A suite
# with no tests counts nothing. Exit status 1 when anything failed or no test ran.
#
# Variables: VSOK_TEST_VAR (the stack's state directory, default var/test), VSOK_TEST_URL
# (default http://127.0.0.1:18080), both passed on to the node suites (VSOK_TEST_VAR made
# absolute); VSOK_TEST_STOP_CMD: a command run before the sanitizer check so that the
# servers exit and report leaks (make test passes the stack's stop); VSOK_TEST_SUITES
# (default "unit code api e2e sanitizers"); VSOK_TEST_SUITE_TIMEOUT (seconds, default 1200).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1

VSOK_TEST_VAR=${VSOK_TEST_VAR:-var/test}
[[ $VSOK_TEST_VAR = /* ]] || VSOK_TEST_VAR=$ROOT/$VSOK_TEST_VAR
VSOK_TEST_URL=${VSOK_TEST_URL:-http://127.0.0.1:18080}
export VSOK_TEST_VAR VSOK_TEST_URL
LOGDIR=$VSOK_TEST_VAR/log
mkdir -p "$LOGDIR"
SUITE_TIMEOUT=${VSOK_TEST_SUITE_TIMEOUT:-1200}

TOTAL_PASS=0
TOTAL_FAIL=0
SUMMARY=()

record() { # suite passed failed [note]
    TOTAL_PASS=$((TOTAL_PASS + $2))
    TOTAL_FAIL=$((TOTAL_FAIL + $3))
    SUMMARY+=("$(printf '  %-11s %4d passed, %d failed%s' "$1" "$2" "$3" "${4:+  ($4)}")")
}

header() { printf '\n==== %s\n' "$*"; }

# Sum of the numbers captured by an extended regex's first group over the matching lines.
sum_matches() { # regex file
    sed -nE "s/$1/\\1/p" "$2" | awk '{ s += $1 } END { print s + 0 }'
}

# Last value of a TAP summary line such as "# pass 12".
tap_count() { # name file
    sed -nE "s/^# $1 ([0-9]+)\$/\\1/p" "$2" | tail -n 1
}

suite_unit() {
    local log=$LOGDIR/test-unit.log bins=() b out rc p f pass=0 fail=0 notes=()
    : >"$log"
    for b in build/unit/test_*; do
        [[ -f $b && -x $b ]] && bins+=("$b")
    done
    header "unit: ${#bins[@]} cmocka binaries"
    if ((${#bins[@]} == 0)); then
        echo "no unit test binaries in build/unit (make unit-build)"
        record unit 0 0 "no tests"
        return
    fi
    out=$(mktemp)
    for b in "${bins[@]}"; do
        echo "---- $b" | tee -a "$log"
        CMOCKA_MESSAGE_OUTPUT=stdout timeout "$SUITE_TIMEOUT" "$b" >"$out" 2>&1
        rc=$?
        tee -a "$log" <"$out"
        p=$(sum_matches '^\[  PASSED  \] ([0-9]+) test.*' "$out")
        f=$(sum_matches '^\[  FAILED  \] ([0-9]+) test.*' "$out")
        if ((rc != 0 && f == 0)); then
            f=1
            notes+=("$(basename "$b") exit $rc")
            echo "!!!! $b exited with status $rc without reporting a failed test: counted as 1 failed" | tee -a "$log"
        elif ((rc == 0 && p == 0 && f == 0)) && ! grep -q '^\[  PASSED  \]' "$out"; then
            f=1
            notes+=("$(basename "$b") printed no result")
            echo "!!!! $b printed no cmocka result: counted as 1 failed" | tee -a "$log"
        fi
        pass=$((pass + p))
        fail=$((fail + f))
    done
    rm -f "$out"
    local joined
    joined=$(printf '%s, ' "${notes[@]}")
    record unit "$pass" "$fail" "${joined%, }"
}

suite_node() { # name
    local name=$1 dir=tests/$1 log=$LOGDIR/test-$1.log rc p f c args=()
    header "$name: node --test $dir/"
    if [[ ! -d $dir ]]; then
        echo "no $dir directory"
        record "$name" 0 0 "no tests"
        return
    fi
    args=(--test --test-reporter=tap)
    # One test file at a time: the suites share one stack (and some stop its database).
    node --help 2>/dev/null | grep -q -- '--test-concurrency' && args+=(--test-concurrency=1)
    timeout --kill-after=10 "$SUITE_TIMEOUT" node "${args[@]}" "$dir/" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    p=$(tap_count pass "$log")
    f=$(tap_count fail "$log")
    c=$(tap_count cancelled "$log")
    if [[ -z $p && -z $f ]]; then
        if ((rc == 0)); then
            record "$name" 0 0 "no TAP summary"
        else
            echo "!!!! node exited with status $rc and no TAP summary: counted as 1 failed"
            record "$name" 0 1 "node exit $rc"
        fi
        return
    fi
    p=${p:-0} f=$((${f:-0} + ${c:-0}))
    if ((rc != 0 && f == 0)); then
        echo "!!!! node exited with status $rc without a failed test: counted as 1 failed"
        record "$name" "$p" 1 "node exit $rc"
        return
    fi
    local note=
    ((p + f == 0)) && note="no tests"
    ((${c:-0} > 0)) && note="$c cancelled"
    record "$name" "$p" "$f" "$note"
}

suite_sanitizers() {
    local vlog=$LOGDIR/vsokd.log log=$LOGDIR/test-sanitizers.log
    header "sanitizers: reports in $vlog"
    if [[ -n ${VSOK_TEST_STOP_CMD:-} ]]; then
        echo "stopping the stack first, so that exiting processes report leaks"
        bash -c "$VSOK_TEST_STOP_CMD"
    fi
    if [[ ! -f $vlog ]]; then
        echo "no $vlog"
        record sanitizers 0 0 "no vsokd log"
        return
    fi
    local pattern='ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: (AddressSanitizer|UndefinedBehaviorSanitizer)'
    local logs=("$vlog")
    [[ -f $vlog.1 ]] && logs=("$vlog.1" "$vlog") # the part before a rotation (stack.sh rotate-logs)
    if grep -En "$pattern" "${logs[@]}" >"$log"; then
        echo "sanitizer reports found (full text in $vlog):"
        head -n 40 "$log"
        record sanitizers 0 1 "$(wc -l <"$log") report line(s)"
    else
        echo "none"
        record sanitizers 1 0
    fi
}

for suite in ${VSOK_TEST_SUITES:-unit code api e2e sanitizers}; do
    case $suite in
    unit) suite_unit ;;
    api | e2e | code) suite_node "$suite" ;;
    sanitizers) suite_sanitizers ;;
    *) echo "unknown suite $suite" >&2; record "$suite" 0 1 "unknown suite" ;;
    esac
done

header "summary"
printf '%s\n' "${SUMMARY[@]}"
echo "$TOTAL_PASS passed, $TOTAL_FAIL failed"
((TOTAL_FAIL == 0 && TOTAL_PASS > 0))
