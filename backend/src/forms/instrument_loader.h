/* `vsokd load-instruments FILE...`: checks each instrument file and stores the versions the
 * database does not have yet, as published (the instruments shipped with the product). */
#ifndef VSOK_INSTRUMENT_LOADER_H
#define VSOK_INSTRUMENT_LOADER_H

#include "core/config.h"

/* Returns the process exit code: 0 when every file is valid and stored (or was already),
 * 1 when a file is invalid (every problem printed with the file name), 2 on a database
 * error. */
int instrument_loader_run(const config *cfg, int nfiles, char **files);

#endif
