/* Internal to the answer validator: reading one value into a typed answer. */
#ifndef VSOK_ANSWERS_VALUE_H
#define VSOK_ANSWERS_VALUE_H

#include "forms/answers.h"

#define ANSWER_MSG_MAX 256

/* Reads v (not NULL, not JSON null, and not "na" unless the item is a text) for item it
 * into *out. Returns 0 when valid, 1 when not (the Russian message is then in msg), -1
 * when out of memory. min_choices is checked only when submitting. */
int answer_read(arena *a, const inst_item *it, const json_t *v, answers_mode mode, answer *out,
                char msg[ANSWER_MSG_MAX]);

#endif
