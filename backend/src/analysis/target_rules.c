/* Yearly targets' rules (target_rules.h). */
#include "analysis/target_rules.h"
#include "dashboards/rollup_value.h"

#include <math.h>
#include <string.h>

const char *target_origin_name(target_origin o)
{
    return o == TARGET_OWN ? "own" : "above";
}

int target_origin_parse(const char *s, target_origin *out)
{
    if (s && strcmp(s, "above") == 0)
        *out = TARGET_ABOVE;
    else if (s && strcmp(s, "own") == 0)
        *out = TARGET_OWN;
    else
        return -1;
    return 0;
}

long target_tenths(double v, int max_level)
{
    if (!isfinite(v) || v < 1.0 || v > (double)max_level)
        return -1;
    double t = v * 10.0;
    double r = floor(t + 0.5);
    if (fabs(t - r) > 1e-6)
        return -1;
    return (long)r;
}

long target_effective(long above_tenths, long own_tenths)
{
    return above_tenths > own_tenths ? above_tenths : own_tenths;
}

int target_own_allowed(long above_tenths, long own_tenths)
{
    return above_tenths < 0 || own_tenths >= above_tenths;
}

int target_reached(int has_mean, double mean, long target_tenths_v)
{
    if (!has_mean || target_tenths_v < 0)
        return 0;
    long shown = rollup_shown_tenths(mean);
    return shown >= 0 && shown >= target_tenths_v;
}

int target_origin_for(role caller, const char *caller_path, const char *unit_path,
                      target_origin *out)
{
    if (caller != ROLE_REGION_COORDINATOR && caller != ROLE_MUNICIPAL_COORDINATOR &&
        caller != ROLE_DOO_COORDINATOR)
        return -1;
    size_t n = strlen(caller_path);
    if (!n || strncmp(unit_path, caller_path, n) != 0)
        return -1;
    *out = unit_path[n] ? TARGET_ABOVE : TARGET_OWN;
    return 0;
}
