/* Notifications of the sign-off steps (signoff_notify.c). */
#ifndef VSOK_SIGNOFF_NOTIFY_H
#define VSOK_SIGNOFF_NOTIFY_H

#include "analysis/signoff_store.h"

/* After a step (row: the new state): tells whoever acts next. */
db_status signoff_notify(request *rq, uint64_t campaign, const signoff_row *row, const char *action,
                         const char *comment);

#endif
