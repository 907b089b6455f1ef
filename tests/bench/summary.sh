# make bench, the closing summary (sourced by tests/bench/run.sh): every ratio of the run
# against its aim on one line, and the same appended with the commit to the history file
# (VSOK_BENCH_HISTORY, default var/bench-history.tsv, which make bench's fresh stack
# leaves alone), so that the trend across commits can be read there.
#
#   bench_summary ME_PERCENT ME_AIM FORMS_OUTPUT UPLOADS_OUTPUT [FIRSTPAINT_OUTPUT]
#
# The parts' figures come from their RESULT lines (forms.sh, uploads.mjs, firstpaint.mjs); a part that was
# skipped or failed shows as n/a and counts neither as met nor as missed. Returns the
# number of aims missed (0: all met).

# result_field FILE KEY: the value of KEY=... on the file's RESULT line, or nothing
result_field() {
    [[ -f $1 ]] || return 0
    grep -m1 '^RESULT ' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

bench_summary() {
    local me=$1 me_aim=$2 forms=$3 uploads=$4 firstpaint=${5:-}
    local me_rps me_p99 save_rps save_p99 up_ratio up_p99 up_alone
    me_rps=$(result_field "$forms" me_rps)
    me_p99=$(result_field "$forms" me_p99_ms)
    save_rps=$(result_field "$forms" save_rps)
    save_p99=$(result_field "$forms" save_p99_ms)
    up_ratio=$(result_field "$uploads" ratio)
    up_p99=$(result_field "$uploads" autosave_p99_ms)
    up_alone=$(result_field "$uploads" autosave_alone_p99_ms)

    # name value aim op unit: one "name value (aim op aim: ok|MISSED)" field
    local line="" tsv="" missed=0
    add() {
        local name=$1 value=$2 op=$3 aim=$4 unit=$5 verdict
        if [[ -z $value ]]; then
            line+="${line:+ | }$name n/a"
            tsv+=$'\t'
            return
        fi
        if awk -v v="$value" -v a="$aim" -v op="$op" 'BEGIN { exit !(op == ">=" ? v >= a : v <= a) }'; then
            verdict=ok
        else
            verdict=MISSED
            missed=$((missed + 1))
        fi
        line+="${line:+ | }$name $value$unit ($op $aim$unit $verdict)"
        tsv+=$'\t'"$value"
    }
    ratio() { awk -v a="$1" -v b="$2" -v m="$3" -v d="$4" 'BEGIN { if (a != "" && b > 0) printf "%.*f", d, m * a / b }'; }
    add "me/minimal" "$me" ">=" "$me_aim" "%"
    add "autosave/me req/s" "$(ratio "$save_rps" "$me_rps" 100 0)" ">=" 25 "%"
    add "autosave/me p99" "$(ratio "$save_p99" "$me_p99" 1 2)" "<=" 3 "x"
    add "autosave p99 uploads/alone" "$(ratio "$up_p99" "$up_alone" 1 2)" "<=" 1.5 "x"
    add "upload/nginx" "$(ratio "$up_ratio" 1 100 0)" ">=" 70 "%"
    add "first paint" "$(result_field "$firstpaint" fp_ms)" "<=" 1500 "ms"
    add "sign-in form" "$(result_field "$firstpaint" login_ms)" "<=" 3000 "ms"
    add "cold sheet" "$(result_field "$firstpaint" sheet_ms)" "<=" 4000 "ms"
    echo
    echo "bench summary: $line"

    local history commit load
    history=${VSOK_BENCH_HISTORY:-$REPO/var/bench-history.tsv}
    commit=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
    [[ -z $(git -C "$REPO" status --porcelain --untracked-files=no 2>/dev/null) ]] || commit+=-dirty
    load=$(cut -d' ' -f1 /proc/loadavg)
    mkdir -p "$(dirname "$history")"
    if [[ ! -s $history ]]; then
        printf 'date\tcommit\tload\tme_minimal_pct\tautosave_me_rps_pct\tautosave_me_p99_x\tautosave_uploads_alone_p99_x\tupload_nginx_pct\tfirst_paint_ms\tsignin_form_ms\tcold_sheet_ms\tmissed\n' >"$history"
    fi
    printf '%s\t%s\t%s%s\t%d\n' "$(date -u '+%FT%TZ')" "$commit" "$load" "$tsv" "$missed" >>"$history"
    echo "bench: summary appended to $history"
    return "$missed"
}
