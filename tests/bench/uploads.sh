#!/usr/bin/env bash
# make bench, uploads part: evidence uploads (tus) through nginx, against what nginx alone
# costs for the same bytes, and what they do to the vsokd workers and to autosaving forms.
#
#   1. a big file (default 1 GiB: an MP4 'ftyp' box and random bytes, so that libmagic
#      says video/mp4 and the type check passes) is made once under
#      $VSOK_BENCH_VAR/bench-uploads/ and kept for later runs;
#   2. baseline: a small nginx of its own (port URL port + 3) whose only location stores
#      the request body in a temporary file (client_body_in_file_only, the same body
#      settings as the stack's /api/v1/uploads) and answers 204; the same 8 MiB chunks are
#      POSTed to it one after the other;
#   3. the same file with tus-js-client (tests/node_modules) through the stack's nginx to
#      vsokd in 8 MiB chunks, timed until the upload is complete (the last PATCH includes
#      the SHA-256 of the whole file, libmagic and the move to objects/). The throughput
#      is printed as a ratio to the baseline. Memory: every worker's peak resident size
#      (VmHWM, reset through /proc/<pid>/clear_refs just before, and VmRSS sampled every
#      50 ms) during a two-chunk upload of the same file, then during the whole file; the
#      largest worker's peak may not grow by more than VSOK_BENCH_UPLOAD_RSS_LIMIT (8 MiB,
#      less than one chunk) from the one to the other;
#   4. 20 simultaneous photo uploads (3 MB each, every client one after the other for 8 s)
#      while 50 clients autosave their drafts (PATCH /api/v1/submissions/{id}, one sheet
#      each, no pause): no errors; autosave latency percentiles alone (3 s) and during the
#      uploads. Each photo client asks for the preview of each photo it uploaded, as the
#      tablet does (VSOK_BENCH_UPLOAD_THUMBS=0: uploads only).
#
# Fixtures through the API (a campaign with QS, 51 sheets of the teacher's groups, more
# campaigns when there are fewer groups); nothing is deleted afterwards: run it against a
# stack you can throw away (make bench wipes var/bench). Loopback only.
#
#   VSOK_BENCH_URL                 the stack (default http://127.0.0.1:28080)
#   VSOK_BENCH_VAR                 its state directory (default var/bench)
#   VSOK_BENCH_UPLOAD_SIZE         bytes of the big file (1073741824); smaller on a slow disk
#   VSOK_BENCH_UPLOAD_PORT         the baseline's port (URL port + 3)
#   VSOK_BENCH_UPLOAD_RSS_LIMIT    KiB the largest peak may grow from 16 MiB to SIZE (8192)
#   VSOK_BENCH_UPLOAD_PHOTOS / _PHOTO_SECONDS / _SAVERS   20 / 8 / 50
#   VSOK_BENCH_UPLOAD_THUMBS       1: the photo clients ask for previews; 0: they do not
#   VSOK_BENCH_UPLOAD_TIMEOUT      seconds for the node part (240)
#
# Exit 1 when any request failed, the stored file differs, or a worker's memory grew past
# the limit.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD

URL=${VSOK_BENCH_URL:-http://127.0.0.1:28080}
URL=${URL%/}
VAR=$(realpath -m "${VSOK_BENCH_VAR:-var/bench}")
SIZE=${VSOK_BENCH_UPLOAD_SIZE:-1073741824}
CHUNK=$((8 * 1024 * 1024))

hostport=${URL#*://}
hostport=${hostport%%/*}
HOST=${hostport%:*}
PORT=${hostport##*:}
[[ $PORT =~ ^[0-9]+$ ]] || PORT=80
BASE_PORT=${VSOK_BENCH_UPLOAD_PORT:-$((PORT + 3))}
case $HOST in
127.* | localhost | '[::1]') ;;
*) echo "bench uploads: $URL is not a loopback address; refusing" >&2; exit 2 ;;
esac
[[ $SIZE =~ ^[0-9]+$ ]] && ((SIZE >= 4096)) || { echo "bench uploads: VSOK_BENCH_UPLOAD_SIZE=$SIZE" >&2; exit 2; }

DIR=$VAR/bench-uploads
die() { echo "bench uploads: $*" >&2; exit 1; }
for t in nginx node curl file head; do command -v "$t" >/dev/null || die "$t not found (make deps)"; done
curl -fsS -m 5 "$URL/api/v1/health" >/dev/null || die "no healthy stack at $URL (start it first)"
MASTER=$(cat "$VAR/run/vsokd.pid" 2>/dev/null) || die "no $VAR/run/vsokd.pid"
kill -0 "$MASTER" 2>/dev/null || die "vsokd master $MASTER is not running"
# tus-js-client: make bench builds vsokd and the SPA, not necessarily the test packages
if [[ ! -d $REPO/tests/node_modules/tus-js-client ]]; then
    make --no-print-directory -C "$REPO" tests-node >&2 || die "cannot install the node packages of tests/"
fi

# --- the baseline nginx: ours only, stopped in every case --------------------------------
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
}
mkdir -p "$DIR/tmp"
stop_ours
trap stop_ours EXIT
trap 'exit 130' INT TERM

# --- the big file, made once --------------------------------------------------------------
FILE=$DIR/video-$SIZE.mp4
if [[ ! -f $FILE || $(stat -c %s "$FILE") != "$SIZE" || $(file --mime-type -b "$FILE") != video/mp4 ]]; then
    echo "bench uploads: making $FILE ($SIZE bytes)"
    rm -f "$DIR"/video-*.mp4
    # ftyp box: size 0x18, 'ftyp', major brand isom, minor version 0x200, brands isom iso2
    printf '\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2' >"$FILE.part"
    head -c $((SIZE - 24)) /dev/urandom >>"$FILE.part"
    mv "$FILE.part" "$FILE"
fi
mime=$(file --mime-type -b "$FILE")
[[ $mime == video/mp4 ]] || die "$FILE is $mime for libmagic, not video/mp4"

# --- baseline: nginx storing request bodies, nothing else ---------------------------------
USER_LINE=$(grep -m1 -E '^[[:space:]]*user[[:space:]]' "$VAR/nginx/nginx.conf" 2>/dev/null || true)
cat >"$DIR/nginx.conf" <<EOF
# rendered by tests/bench/uploads.sh: nginx alone storing upload chunks
$USER_LINE
worker_processes auto;
pid $DIR/nginx.pid;
error_log $DIR/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    server_tokens off;
    client_body_temp_path $DIR/tmp/client_body;
    proxy_temp_path $DIR/tmp/proxy;
    fastcgi_temp_path $DIR/tmp/fastcgi;
    uwsgi_temp_path $DIR/tmp/uwsgi;
    scgi_temp_path $DIR/tmp/scgi;
    server {
        listen $HOST:$BASE_PORT;
        # the body settings of the stack's location /api/v1/uploads
        location = /store {
            client_max_body_size 16m;
            client_body_buffer_size 128k;
            client_body_in_file_only clean;
            client_body_timeout 120s;
            # the body is read into its file before the (bodiless) hop to /done
            proxy_pass http://$HOST:$BASE_PORT/done;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
        }
        location = /done {
            return 204;
        }
    }
}
EOF
nginx -t -q -p "$DIR" -c "$DIR/nginx.conf" -e "$DIR/error.log" || die "baseline nginx config rejected"
nginx -p "$DIR" -c "$DIR/nginx.conf" -e "$DIR/error.log" || die "baseline nginx did not start"
for _ in $(seq 50); do [[ -s $DIR/nginx.pid ]] && break; sleep 0.1; done
code=$(curl -sS -m 5 -o /dev/null -w '%{http_code}' --data-binary 'x' "http://$HOST:$BASE_PORT/store") || true
[[ $code == 204 ]] || die "baseline nginx answered $code"

# --- the measurements (tests/bench/uploads.mjs) -------------------------------------------
BENCH_URL=$URL BENCH_BASELINE=http://$HOST:$BASE_PORT BENCH_FILE=$FILE BENCH_CHUNK=$CHUNK \
    BENCH_MASTER=$MASTER \
    BENCH_PHOTOS=${VSOK_BENCH_UPLOAD_PHOTOS:-20} BENCH_PHOTO_SECONDS=${VSOK_BENCH_UPLOAD_PHOTO_SECONDS:-8} \
    BENCH_PHOTO_THUMBS=${VSOK_BENCH_UPLOAD_THUMBS:-1} \
    BENCH_SAVERS=${VSOK_BENCH_UPLOAD_SAVERS:-50} BENCH_RSS_LIMIT=${VSOK_BENCH_UPLOAD_RSS_LIMIT:-8192} \
    timeout --kill-after=5 "${VSOK_BENCH_UPLOAD_TIMEOUT:-240}" node "$REPO/tests/bench/uploads.mjs"
