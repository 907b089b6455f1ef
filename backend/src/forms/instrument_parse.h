/* Internal to the instrument parser (instrument*.c): the parsing context and the readers
 * of single fields, each reporting its own errors at the field's JSON path. */
#ifndef VSOK_INSTRUMENT_PARSE_H
#define VSOK_INSTRUMENT_PARSE_H

#include "forms/instrument.h"

typedef struct {
    arena *a;
    form_errors *errs;
    scoring_rule rule;
    int rule_known; /* the scoring field was valid, so rule checks apply */
} inst_ctx;

/* Every reader returns 0 when the field is valid or absent-and-optional (outputs filled,
 * defaults kept), 1 when it reported an error, -1 when out of memory. */

/* Reports every key of obj not in allowed (a NULL-terminated list). */
int ip_known_keys(inst_ctx *c, const json_t *obj, const form_path *p, const char *const *allowed);

/* Human text: a string or {"ru": string, "en": string?}; not blank, at most max chars. */
int ip_text(inst_ctx *c, const json_t *obj, const form_path *p, const char *key, int required,
            size_t max, inst_text *out);

/* The same for a node that is not under a key (p is the node's own path). */
int ip_text_node(inst_ctx *c, const json_t *v, const form_path *p, size_t max, inst_text *out);

/* A code (form_is_code), required. */
int ip_code(inst_ctx *c, const json_t *obj, const form_path *p, const char *key, const char **out);

/* true or false; *out is left alone when absent. *given (may be NULL) tells whether it was. */
int ip_bool(inst_ctx *c, const json_t *obj, const form_path *p, const char *key, int *out,
            int *given);

/* An integer in lo..hi; *out is left alone when absent; range_msg names the range. */
int ip_int(inst_ctx *c, const json_t *obj, const form_path *p, const char *key, int required,
           long long lo, long long hi, const char *range_msg, long long *out, int *given);

/* A finite number (integer or real); *given tells whether it was there. */
int ip_number(inst_ctx *c, const json_t *obj, const form_path *p, const char *key, double *out,
              int *given);

/* An array of 1..max elements; *out is NULL when absent (an error when required). */
int ip_array(inst_ctx *c, const json_t *obj, const form_path *p, const char *key, int required,
             size_t max, const json_t **out);

/* An array of distinct words from allowed (NULL-terminated), at least one; copied into *out
 * (*n entries). */
int ip_words(inst_ctx *c, const json_t *obj, const form_path *p, const char *key,
             const char *const *allowed, const char *const **out, size_t *n);

/* Combines reader results: -1 wins over 1 wins over 0. */
static inline int ip_worst(int a, int b)
{
    return (a < 0 || b < 0) ? -1 : (a > b ? a : b);
}

/* Parses one item (p is its path) into *it. */
int ip_item(inst_ctx *c, const json_t *node, const form_path *p, inst_item *it);

/* Per-rule checks of one indicator's items (p is the indicator's path), and of the whole
 * instrument once every item is parsed. */
int ip_rule_indicator(inst_ctx *c, const instrument *ins, const inst_indicator *ind,
                      const form_path *p);
int ip_rule_instrument(inst_ctx *c, const instrument *ins);

#endif
