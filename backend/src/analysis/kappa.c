/* Weighted kappa for two raters on an ordered scale.
 *
 * With p_ij the share of items rated i by A and j by B, p_i. and p_.j the margins and w_ij
 * the agreement weights (1 on the diagonal):
 *   p_o = Σ w_ij p_ij,  p_e = Σ w_ij p_i. p_.j,  κ_w = (p_o − p_e) / (1 − p_e)   (Cohen 1968)
 * Its large-sample variance when κ_w is not assumed 0 (Fleiss, Cohen & Everitt 1969,
 * Psychological Bulletin 72, 323–327, equation 13), with w̄_i. = Σ_j p_.j w_ij and
 * w̄_.j = Σ_i p_i. w_ij:
 *   var(κ_w) = [Σ p_ij (w_ij (1 − p_e) − (w̄_i. + w̄_.j)(1 − p_o))² − (p_o p_e − 2 p_e + p_o)²]
 *              / (n (1 − p_e)⁴)
 * and when κ_w = 0 (the same paper, equation 14):
 *   var₀(κ_w) = [Σ p_i. p_.j (w_ij − (w̄_i. + w̄_.j))² − p_e²] / (n (1 − p_e)²)
 * The 95 % interval is κ_w ± 1.96·√var, clipped to [−1, 1]. Quadratic weights make κ_w the
 * product-moment agreement of Fleiss & Cohen (1973); linear ones are Cicchetti & Allison's. */
#include "analysis/kappa.h"

#include <math.h>
#include <string.h>

int kappa_table_init(kappa_table *t, size_t k)
{
    if (k < 2 || k > KAPPA_MAX_LEVELS)
        return -1;
    memset(t, 0, sizeof *t);
    t->k = k;
    return 0;
}

int kappa_table_add(kappa_table *t, int a, int b)
{
    if (a < 1 || b < 1 || (size_t)a > t->k || (size_t)b > t->k)
        return -1;
    t->counts[a - 1][b - 1] += 1;
    return 0;
}

static void named_weights(size_t k, kappa_weights kind,
                          double w[KAPPA_MAX_LEVELS][KAPPA_MAX_LEVELS])
{
    double span = (double)(k - 1);
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) {
            double d = fabs((double)i - (double)j);
            if (kind == KAPPA_LINEAR)
                w[i][j] = 1.0 - d / span;
            else if (kind == KAPPA_QUADRATIC)
                w[i][j] = 1.0 - d * d / (span * span);
            else
                w[i][j] = i == j ? 1.0 : 0.0;
        }
}

/* n, exact, within-one and the mean signed difference: what needs no weights. */
static void plain_agreement(const kappa_table *t, kappa_result *out)
{
    double n = 0, same = 0, near = 0, diff = 0;
    for (size_t i = 0; i < t->k; i++)
        for (size_t j = 0; j < t->k; j++) {
            double c = t->counts[i][j];
            n += c;
            same += i == j ? c : 0;
            near += (i > j ? i - j : j - i) <= 1 ? c : 0;
            diff += c * ((double)j - (double)i);
        }
    out->n = n;
    out->exact = n > 0 ? same / n : 0;
    out->within_one = n > 0 ? near / n : 0;
    out->mean_diff = n > 0 ? diff / n : 0;
}

static int table_valid(const kappa_table *t, const double w[KAPPA_MAX_LEVELS][KAPPA_MAX_LEVELS])
{
    if (t->k < 2 || t->k > KAPPA_MAX_LEVELS)
        return 0;
    for (size_t i = 0; i < t->k; i++)
        for (size_t j = 0; j < t->k; j++)
            if (!(t->counts[i][j] >= 0) || !(w[i][j] >= 0 && w[i][j] <= 1) ||
                (i == j && w[i][j] != 1))
                return 0;
    return 1;
}

/* The two standard errors of Fleiss, Cohen & Everitt (1969) from the shares p, their margins
 * and the weights, with out->n, po, pe and kappa already set. */
static void standard_errors(size_t k, const double p[KAPPA_MAX_LEVELS][KAPPA_MAX_LEVELS],
                            const double *row, const double *col,
                            const double w[KAPPA_MAX_LEVELS][KAPPA_MAX_LEVELS], kappa_result *out)
{
    double po = out->po, pe = out->pe, wrow[KAPPA_MAX_LEVELS] = {0}, wcol[KAPPA_MAX_LEVELS] = {0};
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) {
            wrow[i] += col[j] * w[i][j];
            wcol[j] += row[i] * w[i][j];
        }
    double sum = 0;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) {
            double term = w[i][j] * (1.0 - pe) - (wrow[i] + wcol[j]) * (1.0 - po);
            sum += p[i][j] * term * term;
        }
    double sum0 = 0;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) {
            double term = w[i][j] - (wrow[i] + wcol[j]);
            sum0 += row[i] * col[j] * term * term;
        }
    double var0 = (sum0 - pe * pe) / (out->n * (1.0 - pe) * (1.0 - pe));
    out->se0 = var0 > 0 ? sqrt(var0) : 0;
    double tail = po * pe - 2.0 * pe + po;
    double var = (sum - tail * tail) / (out->n * pow(1.0 - pe, 4));
    out->se = var > 0 ? sqrt(var) : 0;
}

int kappa_compute_w(const kappa_table *t, const double w[KAPPA_MAX_LEVELS][KAPPA_MAX_LEVELS],
                    kappa_result *out)
{
    memset(out, 0, sizeof *out);
    if (!table_valid(t, w))
        return -1;
    plain_agreement(t, out);
    if (out->n <= 0)
        return 0;
    size_t k = t->k;
    double p[KAPPA_MAX_LEVELS][KAPPA_MAX_LEVELS], row[KAPPA_MAX_LEVELS] = {0},
                                                  col[KAPPA_MAX_LEVELS] = {0};
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) {
            p[i][j] = t->counts[i][j] / out->n;
            row[i] += p[i][j];
            col[j] += p[i][j];
        }
    double po = 0, pe = 0;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) {
            po += w[i][j] * p[i][j];
            pe += w[i][j] * row[i] * col[j];
        }
    out->po = po;
    out->pe = pe;
    if (1.0 - pe < 1e-12)
        return 0; /* both raters used one level only: kappa is undefined */
    out->defined = 1;
    out->kappa = (po - pe) / (1.0 - pe);
    standard_errors(k, p, row, col, w, out);
    out->ci_low = fmax(-1.0, out->kappa - 1.96 * out->se);
    out->ci_high = fmin(1.0, out->kappa + 1.96 * out->se);
    return 0;
}

int kappa_compute(const kappa_table *t, kappa_weights weights, kappa_result *out)
{
    double w[KAPPA_MAX_LEVELS][KAPPA_MAX_LEVELS] = {{0}};
    if (t->k < 2 || t->k > KAPPA_MAX_LEVELS) {
        memset(out, 0, sizeof *out);
        return -1;
    }
    named_weights(t->k, weights, w);
    return kappa_compute_w(t, w, out);
}
