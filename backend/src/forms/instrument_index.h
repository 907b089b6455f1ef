/* Internal to the instrument parser: the index of section, indicator and item codes. */
#ifndef VSOK_INSTRUMENT_INDEX_H
#define VSOK_INSTRUMENT_INDEX_H

#include "forms/instrument_parse.h"

/* Sorts every code of ins into ins->index and reports each code used a second time at the
 * path of its "code" field, naming the first use. Returns 0, 1 (duplicates) or -1. */
int instrument_index_build(inst_ctx *c, instrument *ins);

#endif
