/* The HS256 signing key: read from its file, or made on first start (32 random bytes,
 * stored as hex in a 0600 file whose directory is created 0700). */
#ifndef VSOK_SECRETS_H
#define VSOK_SECRETS_H

#include "core/config.h"

int secrets_load_jwt_key(config *c, char *err, size_t errlen);

#endif
