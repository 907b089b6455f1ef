/* Sends the queued mail of the outbox (VSOK_MAIL=smtp) with libcurl's SMTP client: workers
 * take turns between requests (one turn per MAIL_SEND_INTERVAL across all of them, decided
 * in the database), each turn sends at most MAIL_SEND_BATCH messages with a short time limit
 * per message; a message that fails MAIL_SEND_ATTEMPTS times is marked failed. */
#ifndef VSOK_MAIL_SEND_H
#define VSOK_MAIL_SEND_H

#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"

#define MAIL_SEND_INTERVAL 30
#define MAIL_SEND_BATCH 10
#define MAIL_SEND_ATTEMPTS 5

/* Returns the number of messages sent, or -1 on a database error. force: ignore the turn. */
long mail_send_queued(const config *cfg, db_conn *db, arena *a, int force);

/* `vsokd send-mail`: one batch now, whatever the turn. Exit status. */
int mail_send_command(const config *cfg);

#endif
