#!/usr/bin/env bash
# make bench: throughput and latency of an authenticated GET /api/v1/me through nginx,
# side by side with two baselines measured in the same run that return the same bytes:
#   - nginx serving them as a static file,
#   - a minimal libfcgi responder (tests/bench/min_responder.c) behind nginx fastcgi_pass.
# Then the forms part (tests/bench/forms.sh: autosave and submit with scoring, 50 clients),
# the uploads part (tests/bench/uploads.sh: 1 GiB through tus against nginx alone, worker
# memory, photos while autosaving), the previews part (tests/bench/previews.mjs: first and
# kept previews and copies without location) and the resident memory of each vsokd worker. See
# memory, photos while autosaving), the dashboards part (tests/bench/dashboards.mjs: the
# views at the scale of a large region, and when its data doubles), the scale part
# (tests/bench/dashboards.sh: every view at region, municipality and kindergarten level on
# a region of full size with sheets scored through the API, next to one of a tenth) and
# the resident memory of each vsokd worker. See
# tests/bench/README.md.
#
# Expects the bench stack already running (release build):
#   VSOK_BENCH_URL   its base URL              (default http://127.0.0.1:28080)
#   VSOK_BENCH_VAR   its state directory       (default var/bench)
# Optional:
#   VSOK_BENCH_DURATION (10s) VSOK_BENCH_WARMUP (2s) VSOK_BENCH_THREADS (2)
#   VSOK_BENCH_CONNECTIONS (32) VSOK_BENCH_STATIC_PORT (URL port + 1)
#   VSOK_BENCH_MIN_PORT (URL port + 2) VSOK_BENCH_STRICT=1: exit 1 when an aim is missed
#   VSOK_BENCH_HISTORY (var/bench-history.tsv): where each run appends its summary line
#   VSOK_BENCH_FORMS=0: skip the forms part (VSOK_BENCH_FORMS_*: see forms.sh)
#   VSOK_BENCH_UPLOADS=0: skip the uploads part (VSOK_BENCH_UPLOAD_*: see uploads.sh)
#   VSOK_BENCH_PREVIEWS=0: skip the previews part (tests/bench/previews.mjs)
#   VSOK_BENCH_DASHBOARDS=0: skip the dashboards part (VSOK_BENCH_DASH_*: see dashboards.mjs)
#   VSOK_BENCH_SCALE=0: skip the scale part (VSOK_BENCH_DASH_TENTH_* and others: see dashboards.sh)
#   VSOK_BENCH_FIRSTPAINT=0: skip the first-paint part (tests/bench/firstpaint.mjs)
#   VSOK_BENCH_FIELD=0: skip the field part (tests/bench/field.mjs)
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD

URL=${VSOK_BENCH_URL:-http://127.0.0.1:28080}
URL=${URL%/}
VAR=$(realpath -m "${VSOK_BENCH_VAR:-var/bench}")
DURATION=${VSOK_BENCH_DURATION:-10s}
WARMUP=${VSOK_BENCH_WARMUP:-2s}
THREADS=${VSOK_BENCH_THREADS:-2}
CONNS=${VSOK_BENCH_CONNECTIONS:-32}
AIM=75 # percent of the minimal responder's rate

hostport=${URL#*://}
hostport=${hostport%%/*}
HOST=${hostport%:*}
PORT=${hostport##*:}
[[ $PORT =~ ^[0-9]+$ ]] || PORT=80
STATIC_PORT=${VSOK_BENCH_STATIC_PORT:-$((PORT + 1))}
MIN_PORT=${VSOK_BENCH_MIN_PORT:-$((PORT + 2))}
case $HOST in
127.* | localhost | '[::1]') ;;
*) echo "bench: $URL is not a loopback address; refusing" >&2; exit 2 ;;
esac

DIR=$VAR/bench-nginx
PATH_ME=/api/v1/me

die() { echo "bench: $*" >&2; exit 1; }
for t in wrk nginx curl jq cc; do command -v "$t" >/dev/null || die "$t not found (make deps)"; done

# --- our own processes: stop leftovers of an interrupted run, and always clean up -------
stop_ours() {
    if [[ -s $DIR/nginx.pid ]]; then
        local p
        p=$(cat "$DIR/nginx.pid")
        if [[ -r /proc/$p/cmdline ]] && tr '\0' ' ' <"/proc/$p/cmdline" | grep -qF "$DIR"; then
            kill -QUIT "$p" 2>/dev/null || true
            for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        fi
        rm -f "$DIR/nginx.pid"
    fi
    if [[ -s $DIR/min_responder.pid ]]; then
        local p
        p=$(cat "$DIR/min_responder.pid")
        if [[ -r /proc/$p/cmdline ]] && tr '\0' ' ' <"/proc/$p/cmdline" | grep -qF "$DIR/min.sock"; then
            kill -TERM "$p" 2>/dev/null || true # its workers follow (PR_SET_PDEATHSIG)
            for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        fi
        rm -f "$DIR/min_responder.pid"
    fi
    rm -f "$DIR/access.log" "$DIR/bench.lua" # hundreds of thousands of lines; the token
}
stop_ours
trap stop_ours EXIT
trap 'exit 130' INT TERM

mkdir -p "$DIR/html${PATH_ME%/*}" "$DIR/tmp"
rm -f "$DIR/forms.txt" "$DIR/uploads.txt" # the parts' output, read by the summary
# nginx workers run as an unprivileged user: they must reach the body file and the socket
chmod 0755 "$DIR" "$DIR/tmp"
find "$DIR/html" -type d -exec chmod 0755 {} +

# --- the stack is up; log in as the teacher (login is rate-limited: retry on 429) -------
curl -fsS -m 5 "$URL/api/v1/health" >/dev/null || die "no healthy stack at $URL (start it first)"
TOKEN=
for _ in $(seq 30); do
    out=$(curl -sS -m 10 -w '\n%{http_code}' -H 'Content-Type: application/json' \
        --data '{"login":"teacher","password":"demo"}' "$URL/api/v1/auth/login")
    code=${out##*$'\n'}
    if [[ $code == 200 ]]; then TOKEN=$(jq -r .access_token <<<"${out%$'\n'*}"); break; fi
    [[ $code == 429 ]] || die "login as teacher: HTTP $code: ${out%$'\n'*}"
    sleep 1
done
[[ -n $TOKEN && $TOKEN != null ]] || die "login as teacher: no token"

# the exact bytes of /me, for both baselines
BODY=$DIR/html$PATH_ME
curl -fsS -m 5 -H "Authorization: Bearer $TOKEN" "$URL$PATH_ME" -o "$BODY" || die "GET $PATH_ME failed"
chmod 0644 "$BODY"

# --- vsokd's workers -----------------------------------------------------------------
MASTER=$(cat "$VAR/run/vsokd.pid" 2>/dev/null) || die "no $VAR/run/vsokd.pid"
kill -0 "$MASTER" 2>/dev/null || die "vsokd master $MASTER is not running"
workers() { cat /proc/"$MASTER"/task/*/children 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9]+$' | sort -n || true; }
# the API pool's workers (comm vsokd; the upload pool's are vsokd-upload)
api_workers() { for p in $(workers); do if [[ $(cat "/proc/$p/comm" 2>/dev/null) == vsokd ]]; then echo "$p"; fi; done; }
NWORKERS=$(api_workers | wc -l)
((NWORKERS > 0)) || NWORKERS=$((2 * $(nproc)))

# --- baseline (b): the minimal responder, as many workers as vsokd has ----------------
cc -O2 -Wall -Wextra -o "$DIR/min_responder" "$REPO/tests/bench/min_responder.c" -lfcgi ||
    die "cannot build min_responder (libfcgi-dev)"
rm -f "$DIR/min.sock"
"$DIR/min_responder" "$DIR/min.sock" "$BODY" "$NWORKERS" 2>>"$DIR/min_responder.log" &
echo $! >"$DIR/min_responder.pid"
for _ in $(seq 50); do [[ -S $DIR/min.sock ]] && break; sleep 0.1; done
[[ -S $DIR/min.sock ]] || die "min_responder did not open its socket"

# --- the baselines' nginx, on its own ports -------------------------------------------
# Both mirror what the main config does for vsokd: the project's FastCGI snippet (the stock
# fastcgi_params, no keep-alive to the back end, the same buffers) and its security-header
# snippet, so that what nginx adds on the way costs the same in all three measurements.
HEADERS_SNIPPET=
FASTCGI_SNIPPET="include /etc/nginx/fastcgi_params;"
f=$REPO/nginx/snippets/vsok-security-headers.conf
[[ -f $f ]] && HEADERS_SNIPPET="include $f;"
f=$REPO/nginx/snippets/vsok-fastcgi.conf
[[ -f $f ]] && FASTCGI_SNIPPET="include $f;"
# the worker user of the stack's nginx (it must reach the socket and the file alike)
USER_LINE=$(grep -m1 -E '^[[:space:]]*user[[:space:]]' "$VAR/nginx/nginx.conf" 2>/dev/null || true)
cat >"$DIR/nginx.conf" <<EOF
# rendered by tests/bench/run.sh: the two baselines of make bench
$USER_LINE
worker_processes auto;
pid $DIR/nginx.pid;
error_log $DIR/error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    # an access log line per request, as the stack's nginx writes
    log_format bench '\$remote_addr [\$time_local] "\$request" \$status \$body_bytes_sent '
                     '\$request_time \$upstream_response_time "\$http_user_agent"';
    access_log $DIR/access.log bench;
    server_tokens off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path $DIR/tmp/client_body;
    proxy_temp_path $DIR/tmp/proxy;
    fastcgi_temp_path $DIR/tmp/fastcgi;
    uwsgi_temp_path $DIR/tmp/uwsgi;
    scgi_temp_path $DIR/tmp/scgi;

    # (a) the bytes of /me as a static file
    server {
        listen $HOST:$STATIC_PORT;
        root $DIR/html;
        location = $PATH_ME {
            default_type application/json;
            add_header Cache-Control "no-store"; # as vsokd sends
            $HEADERS_SNIPPET
        }
    }
    # (b) the same bytes from the minimal libfcgi responder
    server {
        listen $HOST:$MIN_PORT;
        location /api/ {
            $FASTCGI_SNIPPET
            fastcgi_pass unix:$DIR/min.sock;
            $HEADERS_SNIPPET
        }
    }
}
EOF
rm -f "$DIR/access.log"
nginx -t -q -p "$DIR" -c "$DIR/nginx.conf" -e "$DIR/error.log" || die "bench nginx config rejected"
nginx -p "$DIR" -c "$DIR/nginx.conf" -e "$DIR/error.log" || die "bench nginx did not start"
for _ in $(seq 50); do [[ -s $DIR/nginx.pid ]] && break; sleep 0.1; done

STATIC_URL=http://$HOST:$STATIC_PORT
MIN_URL=http://$HOST:$MIN_PORT

# the three return the same bytes
for u in "$STATIC_URL" "$MIN_URL" "$URL"; do
    curl -fsS -m 5 -H "Authorization: Bearer $TOKEN" "$u$PATH_ME" -o "$DIR/check.json" || die "GET $u$PATH_ME failed"
    cmp -s "$BODY" "$DIR/check.json" || die "$u$PATH_ME does not return the same bytes as vsokd"
done

# --- wrk ------------------------------------------------------------------------------
LUA=$DIR/bench.lua
umask 077
cat >"$LUA" <<EOF
wrk.headers["Authorization"] = "Bearer $TOKEN"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %.1f %.3f %.3f %d %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout))
end
EOF
umask 022

declare -A RPS P50 P99 REQS NON2XX SOCKERR
measure() { # name url
    local name=$1 url=$2 line
    wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$LUA" "$url$PATH_ME" >/dev/null
    wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$LUA" "$url$PATH_ME" >"$DIR/wrk-$name.txt"
    line=$(grep '^RESULT ' "$DIR/wrk-$name.txt") || die "wrk ($name) printed no result"
    read -r _ RPS[$name] P50[$name] P99[$name] REQS[$name] NON2XX[$name] SOCKERR[$name] <<<"$line"
}

echo "bench: GET $PATH_ME, wrk -t$THREADS -c$CONNS -d$DURATION (after a $WARMUP warm-up), $NWORKERS FastCGI workers, $(nproc) cores"
echo "bench: load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
measure static "$STATIC_URL"
measure minimal "$MIN_URL"
BEFORE=" $(workers | tr '\n' ' ') "
measure vsokd "$URL"

printf '\n%-34s %12s %10s %10s %10s %8s %8s\n' '' 'req/s' 'p50 ms' 'p99 ms' 'requests' 'non-2xx' 'errors'
row() { printf '%-34s %12.0f %10.2f %10.2f %10d %8d %8d\n' "$1" "${RPS[$2]}" "${P50[$2]}" "${P99[$2]}" "${REQS[$2]}" "${NON2XX[$2]}" "${SOCKERR[$2]}"; }
row 'nginx static file (a)' static
row 'minimal libfcgi responder (b)' minimal
row 'vsokd GET /api/v1/me' vsokd

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b > 0 ? 100 * a / b : 0) }'; }
R_STATIC=$(ratio "${RPS[vsokd]}" "${RPS[static]}")
R_MIN=$(ratio "${RPS[vsokd]}" "${RPS[minimal]}")
echo
printf 'vsokd / static file:        %4s%%\n' "$R_STATIC"
if ((R_MIN >= AIM)); then verdict="aim met"; else verdict="AIM MISSED"; fi
printf 'vsokd / minimal responder:  %4s%%   (aim: >= %s%%, %s)\n' "$R_MIN" "$AIM" "$verdict"

# --- forms: autosave and submit with scoring, 50 clients (tests/bench/forms.sh) --------
# Its own table, with GET /me measured again by the same client as its baseline.
# VSOK_BENCH_FORMS=0 skips it (it writes a campaign and 50 sheets into the stack's database).
FORMS_STATUS=0
if [[ ${VSOK_BENCH_FORMS:-1} == 1 ]]; then
    echo
    VSOK_BENCH_URL=$URL bash "$REPO/tests/bench/forms.sh" | tee "$DIR/forms.txt" || FORMS_STATUS=$?
fi

# --- uploads: 1 GiB through tus vs nginx alone, worker memory, photos while autosaving ----
# (tests/bench/uploads.sh; its own table). VSOK_BENCH_UPLOADS=0 skips it.
UPLOADS_STATUS=0
if [[ ${VSOK_BENCH_UPLOADS:-1} == 1 ]]; then
    echo
    VSOK_BENCH_URL=$URL VSOK_BENCH_VAR=$VAR bash "$REPO/tests/bench/uploads.sh" | tee "$DIR/uploads.txt" || UPLOADS_STATUS=$?
fi

# --- previews: first and kept previews, copies without location (tests/bench/previews.mjs;
# its own table). VSOK_BENCH_PREVIEWS=0 skips it.
PREVIEWS_STATUS=0
if [[ ${VSOK_BENCH_PREVIEWS:-1} == 1 ]]; then
    echo
    mkdir -p "$VAR/bench-previews"
    BENCH_URL=$URL BENCH_TMP=$VAR/bench-previews \
        timeout --kill-after=5 "${VSOK_BENCH_PREVIEW_TIMEOUT:-240}" node "$REPO/tests/bench/previews.mjs" ||
        PREVIEWS_STATUS=$?
    rm -rf "$VAR/bench-previews"
fi
# --- dashboards at the scale of a large region (tests/bench/dashboards.mjs) ------------
# 1,500 kindergartens and 12,000 groups made with SQL, latency of the views interleaved
# with GET /me, rows read per request, and the same after the data doubles.
# VSOK_BENCH_DASHBOARDS=0 skips it (it adds the whole region to the stack's database).
DASH_STATUS=0
if [[ ${VSOK_BENCH_DASHBOARDS:-1} == 1 ]]; then
    echo
    VSOK_BENCH_URL=$URL VSOK_BENCH_VAR=$VAR node "$REPO/tests/bench/dashboards.mjs" || DASH_STATUS=$?
fi

# --- scale: every view on a region of full size and of a tenth (tests/bench/dashboards.sh;
# its own table). It fills the stack with 1,500 kindergartens through the API (minutes) and
# starts a second stack for the tenth. VSOK_BENCH_SCALE=0 skips it.
SCALE_STATUS=0
if [[ ${VSOK_BENCH_SCALE:-1} == 1 ]]; then
    echo
    VSOK_BENCH_URL=$URL VSOK_BENCH_VAR=$VAR bash "$REPO/tests/bench/dashboards.sh" || SCALE_STATUS=$?
fi

# --- memory of the workers after the run ----------------------------------------------
echo
echo "vsokd workers' resident memory after the run (VmRSS):"
total=0
n=0
fresh=0
for p in $(workers); do
    kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null) || continue
    [[ -n $kb ]] || continue
    note=
    if [[ $BEFORE != *" $p "* ]]; then note="  (started during the run: recycled)"; fresh=$((fresh + 1)); fi
    printf '  %-12s %-8s %8d KiB%s\n' "$(cat "/proc/$p/comm" 2>/dev/null)" "$p" "$kb" "$note"
    total=$((total + kb))
    n=$((n + 1))
done
if ((n > 0)); then
    printf '  %-15s %8d KiB (%d workers, %d of them started during the run; mean %d KiB)\n' \
        'total' "$total" "$n" "$fresh" $((total / n))
else
    echo "  (no worker found under master $MASTER)"
fi
mkb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$MASTER/status" 2>/dev/null || echo 0)
printf '  %-15s %8d KiB\n' "master $MASTER" "$mkb"

rm -f "$DIR/firstpaint.txt"
[[ ${VSOK_BENCH_FIRSTPAINT:-1} == 1 ]] && { VSOK_BENCH_URL=$URL timeout 600 node "$REPO/tests/bench/firstpaint.mjs" | tee "$DIR/firstpaint.txt" || echo "bench: the first-paint part (tests/bench/firstpaint.mjs: the first screen on 400 kbit/s) failed" >&2; }
[[ ${VSOK_BENCH_FIELD:-1} == 1 ]] && { VSOK_BENCH_URL=$URL timeout 600 node "$REPO/tests/bench/field.mjs" || echo "bench: the field part (tests/bench/field.mjs: a camera photo on 400 kbit/s) failed" >&2; }

# --- verdict: numbers only count when every answer was a 2xx ---------------------------
status=0
for k in static minimal vsokd; do
    if ((NON2XX[$k] > 0)); then
        echo "bench: $k answered ${NON2XX[$k]} non-2xx responses: its figures are not valid" >&2
        status=1
    fi
done
if ((FORMS_STATUS != 0)); then
    echo "bench: the forms part failed (exit $FORMS_STATUS): its figures are not valid" >&2
    status=1
fi
if ((UPLOADS_STATUS != 0)); then
    echo "bench: the uploads part failed (exit $UPLOADS_STATUS): its figures are not valid" >&2
    status=1
fi
if ((PREVIEWS_STATUS != 0)); then
    echo "bench: the previews part failed (exit $PREVIEWS_STATUS): its figures are not valid" >&2
    status=1
fi
if ((DASH_STATUS != 0)); then
    echo "bench: the dashboards part failed (exit $DASH_STATUS): its figures are not valid" >&2
    status=1
fi
if ((SCALE_STATUS != 0)); then
    echo "bench: the scale part failed (exit $SCALE_STATUS): its figures are not valid" >&2
    status=1
fi
# --- summary: every ratio against its aim, one line, kept in the history -------------------
# shellcheck source=tests/bench/summary.sh
. "$REPO/tests/bench/summary.sh"
bench_summary "$R_MIN" "$AIM" "$DIR/forms.txt" "$DIR/uploads.txt" "$DIR/firstpaint.txt" || missed=$?
if [[ ${VSOK_BENCH_STRICT:-0} == 1 ]] && ((${missed:-0} > 0)); then
    echo "bench: VSOK_BENCH_STRICT=1 and ${missed} aim(s) missed" >&2
    status=1
fi
exit $status
