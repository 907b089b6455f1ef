/* The values of the result rollups (rollup_value.h). */
#include "dashboards/rollup_value.h"

#include <math.h>
#include <string.h>

#define ONE ((rollup_dec)10000000000LL * 10000000000LL) /* 10^20 */

static __int128 pow10i(int k)
{
    __int128 p = 1;
    while (k-- > 0)
        p *= 10;
    return p;
}

int rollup_dec_parse(const char *s, rollup_dec *out)
{
    if (!s || !*s)
        return -1;
    int neg = *s == '-';
    s += neg || *s == '+';
    __int128 whole = 0, frac = 0;
    int nw = 0, nf = 0;
    for (; *s >= '0' && *s <= '9'; s++, nw++)
        whole = whole * 10 + (*s - '0');
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++, nf++)
            frac = frac * 10 + (*s - '0');
    if (*s || nw + nf == 0 || nw > 18 || nf > ROLLUP_DEC_DIGITS)
        return -1;
    rollup_dec v = whole * ONE + frac * pow10i(ROLLUP_DEC_DIGITS - nf);
    *out = neg ? -v : v;
    return 0;
}

char *rollup_dec_text(arena *a, rollup_dec v)
{
    int neg = v < 0;
    unsigned __int128 m = (unsigned __int128)(neg ? -v : v);
    unsigned long long whole = (unsigned long long)(m / (unsigned __int128)ONE);
    unsigned __int128 frac = m % (unsigned __int128)ONE;
    char digits[ROLLUP_DEC_DIGITS + 1];
    for (int i = ROLLUP_DEC_DIGITS - 1; i >= 0; i--) {
        digits[i] = (char)('0' + (int)(frac % 10));
        frac /= 10;
    }
    digits[ROLLUP_DEC_DIGITS] = '\0';
    return arena_sprintf(a, "%s%llu.%s", neg ? "-" : "", whole, digits);
}

/* num / den to the nearest integer, halves away from zero (den > 0). */
static __int128 div_round(__int128 num, __int128 den)
{
    __int128 q = num / den, r = num % den;
    if (r < 0)
        r = -r;
    if (2 * r >= den)
        q += num < 0 ? -1 : 1;
    return q;
}

rollup_dec rollup_dec_ratio(__int128 num, __int128 den)
{
    /* num·10^20 may not fit: the whole part first, then the remainder's decimals */
    __int128 whole = num / den, rest = num % den;
    return whole * ONE + div_round(rest * ONE, den);
}

rollup_dec rollup_dec_mean(rollup_dec sum, long n)
{
    return div_round(sum, (__int128)n);
}

long rollup_dec_shown_tenths(rollup_dec v)
{
    /* floor(10·v + 1/2 + 10^-15) in tenths, i.e. 10^-16 in the value */
    __int128 t = 10 * v + ONE / 2 + 100000;
    __int128 q = t / ONE;
    if (t < 0 && t % ONE != 0)
        q -= 1;
    return (long)q;
}

int rollup_dec_level(rollup_dec v)
{
    long t = rollup_dec_shown_tenths(v);
    return t < 0 ? 0 : (int)(t / 10);
}

long rollup_shown_tenths(double v)
{
    if (!isfinite(v) || v < 0)
        return -1;
    return (long)floor(10.0 * v + 0.5 + 1e-9);
}

int rollup_level_of(double v)
{
    long t = rollup_shown_tenths(v);
    return t < 0 ? 0 : (int)(t / 10);
}

/* ---------------------------------------------------------------- a sheet */

typedef struct {
    __int128 num, den; /* den > 0 */
} fraction;

static __int128 gcd(__int128 a, __int128 b)
{
    if (a < 0)
        a = -a;
    while (b) {
        __int128 t = a % b;
        a = b;
        b = t;
    }
    return a ? a : 1;
}

static fraction frac_add(fraction x, fraction y)
{
    __int128 g = gcd(x.den, y.den);
    fraction r = {x.num * (y.den / g) + y.num * (x.den / g), x.den / g * y.den};
    __int128 k = gcd(r.num, r.den);
    r.num /= k;
    r.den /= k;
    return r;
}

static fraction frac_div(fraction x, long n)
{
    fraction r = {x.num, x.den * n};
    __int128 k = gcd(r.num, r.den);
    r.num /= k;
    r.den /= k;
    return r;
}

/* An indicator row's exact value: the level, or the score's decimals as a fraction. */
static int row_value(const rollup_score_row *row, fraction *out)
{
    if (row->level > 0) {
        *out = (fraction){row->level, 1};
        return 0;
    }
    rollup_dec d;
    if (rollup_dec_parse(row->score, &d) != 0)
        return -1;
    *out = frac_div((fraction){d, ONE}, 1);
    return 0;
}

static void put(rollup_value *v, const char *kind, const char *code, fraction f)
{
    v->kind = kind;
    v->code = code;
    v->value = rollup_dec_ratio(f.num, f.den);
    v->level = rollup_dec_level(v->value);
}

long rollup_sheet_values(arena *a, const instrument *ins, const rollup_score_row *rows,
                         size_t n_rows, rollup_value **out)
{
    size_t cap = ins->n_indicators + ins->n_sections + 1;
    fraction *ind = arena_alloc(a, (ins->n_indicators + 1) * sizeof *ind);
    char *has = arena_alloc(a, ins->n_indicators + 1);
    rollup_value *v = arena_alloc(a, cap * sizeof *v);
    if (!ind || !has || !v)
        return -1;
    memset(has, 0, ins->n_indicators + 1);
    for (size_t i = 0; i < n_rows; i++) {
        const inst_indicator *x = instrument_indicator(ins, rows[i].code);
        if (!x)
            continue; /* not an indicator of this version: nothing to count */
        size_t k = (size_t)(x - ins->indicators);
        if (row_value(&rows[i], &ind[k]) != 0)
            return -1;
        has[k] = 1;
    }
    size_t n = 0, n_areas = 0;
    for (size_t k = 0; k < ins->n_indicators; k++)
        if (has[k])
            put(&v[n++], "indicator", ins->indicators[k].code, ind[k]);
    fraction overall = {0, 1};
    for (size_t s = 0; s < ins->n_sections; s++) {
        const inst_section *sec = &ins->sections[s];
        fraction sum = {0, 1};
        long m = 0;
        for (size_t k = sec->first_indicator; k < sec->first_indicator + sec->n_indicators; k++)
            if (has[k])
                sum = frac_add(sum, ind[k]), m++;
        if (m == 0)
            continue;
        fraction area = frac_div(sum, m);
        put(&v[n++], "section", sec->code, area);
        overall = frac_add(overall, area);
        n_areas++;
    }
    if (n_areas > 0)
        put(&v[n++], "overall", ins->code, frac_div(overall, (long)n_areas));
    *out = v;
    return (long)n;
}
