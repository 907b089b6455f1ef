/* Instruments (quality scales, self-assessment sheets, questionnaires): the JSON format of
 * docs/instruments.md parsed and checked into a compact read-only structure in an arena.
 * Pure: no I/O. The parsed instrument copies every string it keeps, so it does not depend
 * on the JSON document and can be cached for as long as its arena lives. */
#ifndef VSOK_INSTRUMENT_H
#define VSOK_INSTRUMENT_H

#include "core/arena.h"
#include "http/form_errors.h"

#include <jansson.h>
#include <stddef.h>

typedef enum {
    RULE_NONE = 0,
    RULE_CUMULATIVE,     /* check items, levels 1..5 */
    RULE_ECERS,          /* ecers items in columns 1/3/5/7, scores 1..7 */
    RULE_SHARE_POSITIVE, /* share of positive answers (questionnaires) */
    RULE_MEAN            /* mean of likert5 answers and scored single choices */
} scoring_rule;

typedef enum {
    ITEM_CHECK = 0,
    ITEM_ECERS,
    ITEM_YES_NO,
    ITEM_YES_NO_UNSURE,
    ITEM_SINGLE,
    ITEM_MULTI,
    ITEM_LIKERT5,
    ITEM_NUMBER,
    ITEM_TEXT,
    ITEM_LONGTEXT,
    ITEM_DATE,
    ITEM_EVIDENCE,
    ITEM_TYPE_COUNT
} item_type;

/* Human text: Russian always, English when given (NULL otherwise). A missing optional text
 * has ru == NULL. */
typedef struct {
    const char *ru;
    const char *en;
} inst_text;

typedef struct {
    const char *code;
    inst_text text;
    int has_score; /* the mean rule counts this option's score */
    double score;
} inst_option;

#define EVIDENCE_PHOTO 1u
#define EVIDENCE_VIDEO 2u

typedef struct {
    const char *code;
    item_type type;
    inst_text text;
    inst_text help;
    int required;              /* always 1 for check and ecers items */
    int na_allowed;            /* "na" is accepted on submit */
    size_t section, indicator; /* indexes of the section and indicator holding the item */

    int level;  /* check: 2..5 */
    int column; /* ecers: 1, 3, 5 or 7 */

    const inst_option *options; /* single, multi */
    size_t n_options;
    size_t min_choices, max_choices; /* multi: 0..n_options, max_choices >= 1 */

    int has_min, has_max, integer; /* number */
    double min, max;
    inst_text unit;

    size_t max_length; /* text, longtext: characters */

    int has_labels; /* likert5: labels[0] is the text of 1 … labels[4] of 5 */
    inst_text labels[5];

    size_t max_files; /* evidence */
    unsigned accept;  /* evidence: EVIDENCE_PHOTO | EVIDENCE_VIDEO */
} inst_item;

typedef struct {
    const char *code;
    inst_text title;
    inst_text help;
    size_t section;
    size_t first_item, n_items; /* instrument->items[first_item .. first_item + n_items) */
} inst_indicator;

typedef struct {
    const char *code;
    inst_text title;
    inst_text description;
    size_t first_indicator, n_indicators;
} inst_section;

typedef enum { CODE_SECTION = 1, CODE_INDICATOR, CODE_ITEM } inst_code_kind;

typedef struct {
    const char *code;
    inst_code_kind kind;
    size_t index;
} inst_code_entry;

typedef struct {
    const char *code;
    int version;
    inst_text title;
    inst_text description;
    scoring_rule scoring;
    const char *const *respondents; /* role names: doo_coordinator, teacher, expert, parent, … */
    size_t n_respondents;
    const char *const *targets; /* kindergarten, group, teacher, parent, … */
    size_t n_targets;

    const inst_section *sections;
    size_t n_sections;
    const inst_indicator *indicators; /* every indicator, in document order */
    size_t n_indicators;
    const inst_item *items; /* every item, in document order */
    size_t n_items;

    const inst_code_entry *index; /* sorted by code (strcmp), for lookups */
    size_t n_index;
} instrument;

/* Limits of one instrument. */
#define INSTRUMENT_MAX_SECTIONS 100
#define INSTRUMENT_MAX_INDICATORS 200 /* per section */
#define INSTRUMENT_MAX_ITEMS 200      /* per indicator */
#define INSTRUMENT_MAX_TOTAL_ITEMS 10000
#define INSTRUMENT_MAX_OPTIONS 100
#define INSTRUMENT_MAX_TEXT 2000  /* characters of a title, item text, option or label */
#define INSTRUMENT_MAX_HELP 10000 /* characters of a description or help text */

/* Parses and checks doc. Returns 0 and *out on success; 1 when the document is invalid,
 * with every problem found (up to the cap of errs) in errs, each named by its JSON path;
 * -1 when out of memory. */
int instrument_parse(arena *a, const json_t *doc, const instrument **out, form_errors *errs);

/* Lookups by code; NULL when there is no such code (or it names another kind of node). */
const inst_item *instrument_item(const instrument *ins, const char *code);
const inst_indicator *instrument_indicator(const instrument *ins, const char *code);
const inst_section *instrument_section(const instrument *ins, const char *code);

/* Whether the role (wire name) may fill the instrument; whether it applies to a level. */
int instrument_has_respondent(const instrument *ins, const char *role_name);
int instrument_has_target(const instrument *ins, const char *level);

/* Whether the rule counts the item: check (cumulative), ecers (ecers), likert5 / yes_no /
 * yes_no_unsure (share_positive), likert5 and single items with a scored option (mean). */
int instrument_item_scored(scoring_rule rule, const inst_item *it);

/* Wire names: "cumulative", "check", … and back (-1 when unknown). */
const char *instrument_rule_name(scoring_rule r);
int instrument_rule_parse(const char *name);
const char *instrument_item_type_name(item_type t);
int instrument_item_type_parse(const char *name);

#endif
