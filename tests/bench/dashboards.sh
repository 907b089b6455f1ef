#!/usr/bin/env bash
# make bench, scale part: does the cost of a dashboard request grow with the data?
#
# Two stacks side by side: the bench stack (VSOK_BENCH_URL) with a region of full size
# (tests/bench/scale-data.mjs, SCALE=1: 1,500 kindergartens, 9,000 scored sheets, 100,000
# parent responses) and a second stack of its own (state in VSOK_BENCH_DASH_TENTH_VAR, port
# URL port + 10) with one tenth of it (SCALE=0.1). Each is filled when its region is not
# there yet. Then, through each stack's nginx with the region coordinator's bearer token,
# wrk measures every dashboard endpoint of docs/api-dashboards.md (children, breakdown,
# completion, parents) at each level (the region, its first municipality, its first
# kindergarten), plus GET /api/v1/me as the baseline, and prints p50/p99 and req/s for
# both sizes with the ratio full / tenth (1.0: the cost does not grow with the data).
# No pass/fail on timings; exit 1 when a measured request did not answer 2xx.
#
#   VSOK_BENCH_URL / VSOK_BENCH_VAR     the full-size stack (default 127.0.0.1:28080, var/bench)
#   VSOK_BENCH_DASH_TENTH_VAR           the tenth's state dir (default <VSOK_BENCH_VAR>-tenth,
#                                       must lie under var/: wiped and made afresh unless
#                                       its stack is running)
#   VSOK_BENCH_DASH_TENTH_PORT          its port (default URL port + 10)
#   VSOK_BENCH_DASH_DURATION (3s) VSOK_BENCH_DASH_WARMUP (1s)
#   VSOK_BENCH_DASH_THREADS (2) VSOK_BENCH_DASH_CONNECTIONS (8)
#   VSOK_BENCH_DASH_KEEP=1              leave the tenth stack running afterwards
#   VSOK_BENCH_DASH_PAGE (5)            children per page of the lists (limit=), the same
#                                       for both sizes
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD

URL=${VSOK_BENCH_URL:-http://127.0.0.1:28080}
URL=${URL%/}
VAR=$(realpath -m "${VSOK_BENCH_VAR:-var/bench}")
TENTH_VAR=$(realpath -m "${VSOK_BENCH_DASH_TENTH_VAR:-$VAR-tenth}")
DURATION=${VSOK_BENCH_DASH_DURATION:-3s}
WARMUP=${VSOK_BENCH_DASH_WARMUP:-1s}
THREADS=${VSOK_BENCH_DASH_THREADS:-2}
CONNS=${VSOK_BENCH_DASH_CONNECTIONS:-8}
VSOK_BIN=${VSOK_BIN:-build/release/vsokd}

hostport=${URL#*://}
hostport=${hostport%%/*}
HOST=${hostport%:*}
PORT=${hostport##*:}
[[ $PORT =~ ^[0-9]+$ ]] || PORT=80
TENTH_PORT=${VSOK_BENCH_DASH_TENTH_PORT:-$((PORT + 10))}
case $HOST in
127.* | localhost) ;;
*) echo "bench dashboards: $URL is not a loopback address; refusing" >&2; exit 2 ;;
esac
TENTH_URL=http://$HOST:$TENTH_PORT

die() { echo "bench dashboards: $*" >&2; exit 1; }
for t in wrk curl jq node; do command -v "$t" >/dev/null || die "$t not found (make deps)"; done
case $TENTH_VAR in "$REPO"/var/?*) ;; *) die "$TENTH_VAR is not a directory under var/" ;; esac
curl -fsS -m 5 "$URL/api/v1/health" >/dev/null || die "no healthy stack at $URL (start it first)"

DIR=$VAR/bench-dashboards
mkdir -p "$DIR"
TENTH_ENV=(env VAR="$TENTH_VAR" PORT="$TENTH_PORT" VSOK_HTTP_HOST="$HOST" VSOK_BIN="$VSOK_BIN")
cleanup() {
    rm -f "$DIR"/*.lua # they hold tokens
    if [[ ${VSOK_BENCH_DASH_KEEP:-0} != 1 && -d $TENTH_VAR/run ]]; then
        "${TENTH_ENV[@]}" backend/deploy/stack.sh stop >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the tenth stack, and the data of both -------------------------------------------------
# A tenth stack left running (VSOK_BENCH_DASH_KEEP=1) is used as it is; otherwise it is made
# afresh, so that its schema is the one of this tree.
if ! curl -fsS -m 2 "$TENTH_URL/api/v1/health" >/dev/null 2>&1; then
    "${TENTH_ENV[@]}" backend/deploy/stack.sh stop >/dev/null 2>&1 || true
    rm -rf "$TENTH_VAR"
    "${TENTH_ENV[@]}" backend/deploy/stack.sh start >"$DIR/tenth-stack.log" 2>&1 ||
        die "the tenth stack did not start (see $DIR/tenth-stack.log)"
fi

ROLLUPS_BAD=
fill() { # url var scale -> the SCALE_DATA json on stdout; the generator's lines on stderr
    local log=$DIR/scale-data-$3.log rc t0=$SECONDS data
    set +e
    VSOK_SCALE_URL=$1 VSOK_SCALE_VAR=$2 SCALE=$3 VSOK_BIN=$VSOK_BIN node tests/bench/scale-data.mjs 2>&1 |
        tee "$log" | grep --line-buffered -v '^SCALE_DATA ' | sed -u 's/^/  /' >&2
    rc=${PIPESTATUS[0]}
    set -e
    echo "  (SCALE=$3: $((SECONDS - t0)) s)" >&2
    ((rc == 0 || rc == 3)) || die "scale-data SCALE=$3 for $1 failed (exit $rc)"
    data=$(grep '^SCALE_DATA ' "$log" | tail -1 | cut -d' ' -f2-)
    [[ -n $data ]] || die "scale-data SCALE=$3 printed no summary"
    [[ $(jq -r '.rollups' <<<"$data") != false && $rc == 0 ]] || ROLLUPS_BAD="$ROLLUPS_BAD SCALE=$3"
    printf '%s\n' "$data"
}
# (not in $(...): ROLLUPS_BAD must survive)
fill "$URL" "$VAR" 1 >"$DIR/full.json"
fill "$TENTH_URL" "$TENTH_VAR" 0.1 >"$DIR/tenth.json"
FULL_DATA=$(cat "$DIR/full.json")
TENTH_DATA=$(cat "$DIR/tenth.json")

login() { # url login -> token
    local out code
    for _ in $(seq 30); do
        out=$(curl -sS -m 10 -w '\n%{http_code}' -H 'Content-Type: application/json' \
            --data "{\"login\":\"$2\",\"password\":\"demo\"}" "$1/api/v1/auth/login")
        code=${out##*$'\n'}
        if [[ $code == 200 ]]; then jq -r .access_token <<<"${out%$'\n'*}"; return; fi
        [[ $code == 429 ]] || die "login as $2 at $1: HTTP $code"
        sleep 1
    done
    die "login as $2 at $1: still rate-limited"
}

# --- wrk -------------------------------------------------------------------------------------
declare -A P50 P99 RPS REQS BAD
measure() { # key url token path
    local key=$1 url=$2 token=$3 p=$4 lua=$DIR/$1.lua line code
    code=$(curl -sS -m 30 -o "$DIR/$key.body" -w '%{http_code}' -H "Authorization: Bearer $token" "$url$p")
    if [[ $code != 200 ]]; then
        P50[$key]=0 P99[$key]=0 RPS[$key]=0 REQS[$key]=0 BAD[$key]="HTTP $code"
        return
    fi
    umask 077
    cat >"$lua" <<EOF
wrk.headers["Authorization"] = "Bearer $token"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %.1f %.3f %.3f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.status + e.connect + e.read + e.write + e.timeout))
end
EOF
    umask 022
    # a request slower than wrk's default 2 s would count as an error, not as a latency
    wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" --timeout 30s -s "$lua" "$url$p" >/dev/null
    wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --timeout 30s --latency -s "$lua" "$url$p" >"$DIR/wrk-$key.txt"
    line=$(grep '^RESULT ' "$DIR/wrk-$key.txt") || die "wrk ($key) printed no result"
    local bad
    read -r _ RPS[$key] P50[$key] P99[$key] REQS[$key] bad <<<"$line"
    BAD[$key]=$bad
}

VIEWS=(children breakdown completion parents)
LEVELS=(region municipality kindergarten)
# The two sizes measured back to back for each request, so that a change in what else the
# machine is doing weighs on both alike.
FULL_TOKEN=$(login "$URL" "$(jq -r .region_login <<<"$FULL_DATA")")
TENTH_TOKEN=$(login "$TENTH_URL" "$(jq -r .region_login <<<"$TENTH_DATA")")
both() { # key path-for-full path-for-tenth
    measure "full-$1" "$URL" "$FULL_TOKEN" "$2"
    measure "tenth-$1" "$TENTH_URL" "$TENTH_TOKEN" "$3"
}

echo "bench dashboards: wrk -t$THREADS -c$CONNS -d$DURATION (after $WARMUP), region coordinator's token, campaign of this year"
both me /api/v1/me /api/v1/me
# The lists are compared with the same number of listed units: one page of PAGE children
# (the tenth's region has 5 municipalities, the full one 50; a municipality has 30
# kindergartens in both), so that full/tenth says whether a page costs more on more data.
PAGE=${VSOK_BENCH_DASH_PAGE:-5}
for level in "${LEVELS[@]}"; do
    for view in "${VIEWS[@]}"; do
        page=
        [[ $view == breakdown ]] || page="&limit=$PAGE"
        both "$level-$view" \
            "/api/v1/dashboards/units/$(jq -r ".$level" <<<"$FULL_DATA")/$view?campaign=$(jq -r .campaign <<<"$FULL_DATA")$page" \
            "/api/v1/dashboards/units/$(jq -r ".$level" <<<"$TENTH_DATA")/$view?campaign=$(jq -r .campaign <<<"$TENTH_DATA")$page"
    done
done

# --- the table -------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }
printf '\n%-27s | %8s %8s %8s | %8s %8s %8s | %10s %10s\n' '' 'full' '' '' 'tenth' '' '' 'full/tenth' 'full p99'
printf '%-27s | %8s %8s %8s | %8s %8s %8s | %10s %10s\n' 'request' 'p50 ms' 'p99 ms' 'req/s' 'p50 ms' 'p99 ms' 'req/s' 'p99' '/ me p99'
status=0
row() { # label key
    local f=full-$2 t=tenth-$2 note=
    for k in "$f" "$t"; do
        if [[ ${BAD[$k]} != 0 ]]; then note="$note  ${k%%-*}: ${BAD[$k]} bad"; status=1; fi
    done
    printf '%-27s | %8.2f %8.2f %8.0f | %8.2f %8.2f %8.0f | %10s %10s%s\n' "$1" \
        "${P50[$f]}" "${P99[$f]}" "${RPS[$f]}" "${P50[$t]}" "${P99[$t]}" "${RPS[$t]}" \
        "$(ratio "${P99[$f]}" "${P99[$t]}")" "$(ratio "${P99[$f]}" "${P99[full-me]}")" "$note"
}
row 'GET /me (baseline)' me
for level in "${LEVELS[@]}"; do
    for view in "${VIEWS[@]}"; do row "$level $view" "$level-$view"; done
done
echo
echo "full: $(jq -c '{region, municipality, kindergarten, campaign}' <<<"$FULL_DATA")  tenth: $(jq -c '{region, municipality, kindergarten, campaign}' <<<"$TENTH_DATA")"
echo "aim: region-level drill-down p99 under 50 ms; full/tenth p99 under 1.5"
((status == 0)) || echo "bench dashboards: some requests did not answer 2xx: their figures are not valid" >&2
if [[ -n $ROLLUPS_BAD ]]; then
    echo "bench dashboards: the rollup rebuild failed for$ROLLUPS_BAD: the parents figures lack the responses" >&2
    status=1
fi
exit $status
