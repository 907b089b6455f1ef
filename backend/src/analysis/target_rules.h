/* The rules of yearly targets (docs/analysis.md, "Yearly targets"), apart from I/O: a
 * target's value, which of a unit's two targets is in force, whether a figure reaches it,
 * and who may set a target of which origin. Unit-tested. */
#ifndef VSOK_TARGET_RULES_H
#define VSOK_TARGET_RULES_H

#include "core/roles.h"

#include <stddef.h>

/* Where a target comes from: a coordinator of a level above the unit, or the unit's own. */
typedef enum { TARGET_ABOVE = 0, TARGET_OWN = 1 } target_origin;

const char *target_origin_name(target_origin o);
int target_origin_parse(const char *s, target_origin *out);

/* A target is a score with one decimal from 1.0 to max_level: its tenths, or -1 when v is
 * not such a number (2.35 is refused, not rounded). */
long target_tenths(double v, int max_level);

/* The target in force of a unit: the higher of the two (-1: none set). */
long target_effective(long above_tenths, long own_tenths);

/* May the unit set its own target at own_tenths while the one above is above_tenths (-1:
 * none)? Never below the target set above. */
int target_own_allowed(long above_tenths, long own_tenths);

/* Does a figure reach the target? The figure as shown (one decimal, halves up, the
 * dashboards' rounding) is at least the target. No figure (has_mean 0): not reached. */
int target_reached(int has_mean, double mean, long target_tenths_v);

/* The origin of a target the caller sets on a unit: own when the caller's unit is the unit,
 * above when it lies strictly below the caller's unit (caller_path is a proper prefix of
 * unit_path). Returns 0 with *out set, or -1 when the caller may set no target there
 * (administrators choose the origin themselves: -1 here too). */
int target_origin_for(role caller, const char *caller_path, const char *unit_path,
                      target_origin *out);

#endif
