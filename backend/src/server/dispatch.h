/* One request, one way: parse -> route -> authenticate -> authorise -> read body ->
 * handler -> response -> access log. */
#ifndef VSOK_DISPATCH_H
#define VSOK_DISPATCH_H

#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"
#include "db/replica.h"
#include "forms/instrument_store.h"
#include "auth/principal.h"

#include <fcgiapp.h>

/* Serves one request; a response with work `after` it is finished (dispatch_finish) before
 * that work runs. */
void dispatch_request(FCGX_Request *fr, const config *cfg, db_conn *db, db_replica *replica,
                      principal_cache *principals, instrument_cache *instruments, arena *a);

/* Ends the FastCGI request, closing at once when its body has been read (below); does
 * nothing when it has been ended already. */
void dispatch_finish(FCGX_Request *fr);

#endif
