/* The row of a scoped route's {id} for its handler: the one the dispatcher read with the
 * scope check (rq->unit, rq->user), else read now within the caller's scope; when there is
 * none the route's 404 (or the database error) is answered here. The stores' own reads
 * (org/unit_store.h, org/user_store.h) never take the response. */
#ifndef VSOK_ROUTE_ROWS_H
#define VSOK_ROUTE_ROWS_H

#include "http/http.h"
#include "org/unit_store.h"
#include "org/user_store.h"

/* The unit of a scoped route's {id}: the row the dispatcher read for a SCOPE_UNIT route,
 * else read now within the caller's scope. 0, or -1 with the answer written (the database
 * error, or 404 when it is not there). */
int route_unit(request *rq, response *rs, scope_unit *out);
/* The user of a SCOPE_USER route (/users/{id}/…): the row the dispatcher read, else read
 * now. Returns 0, or -1 with the database error or the 404 answered. */
int route_user(request *rq, response *rs, user_row *out);

#endif
