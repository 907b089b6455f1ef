/* libFuzzer harness for the forms core: an instrument definition and a set of answers,
 * both untrusted JSON (an administrator's upload, a tablet's autosave). The input is split
 * at the first NUL byte: instrument JSON before it, answers JSON after it. Whatever the
 * bytes, parsing, answer checking (draft and submit) and scoring must finish without a
 * crash, and a valid instrument with accepted answers must score within the rule's range.
 * Built and run by `make fuzz`. */
#include "forms/answers.h"
#include "core/arena.h"
#include "forms/instrument.h"
#include "forms/scoring.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_scores(const score_result *r)
{
    for (size_t i = 0; i < r->ins->n_indicators; i++) {
        const score_node *n = &r->indicators[i];
        if (n->scored && r->rule == RULE_CUMULATIVE && (n->level < 1 || n->level > 5))
            abort();
        if (n->scored && r->rule == RULE_ECERS && (n->level < 1 || n->level > 7))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t ins_len = nul ? (size_t)(nul - data) : size;
    json_t *doc = json_loadb((const char *)data, ins_len, JSON_REJECT_DUPLICATES, NULL);
    if (!doc)
        return 0;
    arena a;
    arena_init(&a, 64 * 1024);
    form_errors errs;
    form_errors_init(&errs, &a, 50);
    const instrument *ins = NULL;
    int rc = instrument_parse(&a, doc, &ins, &errs);
    if (rc == 0 && ins) {
        json_t *answers =
            nul ? json_loadb((const char *)nul + 1, size - ins_len - 1, 0, NULL) : json_object();
        for (int mode = ANSWERS_DRAFT; answers && mode <= ANSWERS_SUBMIT; mode++) {
            form_errors aerr;
            form_errors_init(&aerr, &a, ANSWERS_MAX_ERRORS);
            answer_set set;
            if (answers_check(&a, ins, answers, (answers_mode)mode, &set, &aerr) == 0) {
                score_result res;
                if (scoring_compute(&a, ins, &set, &res) == 0) {
                    check_scores(&res);
                    json_decref(scoring_result_json(&res));
                }
            }
        }
        json_decref(answers);
    } else if (rc == 1 && errs.count == 0 && !errs.truncated) {
        abort(); /* an invalid instrument must say why */
    }
    json_decref(doc);
    arena_destroy(&a);
    return 0;
}
