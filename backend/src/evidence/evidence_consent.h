/* The parents' consent to photos and videos of their children, per group (group_consents,
 * migration 019), recorded by the kindergarten's coordinator, and each kindergarten's choice
 * for uploads to the sheets of a group without it: refused before any byte is sent (the
 * default) or accepted and marked (evidence_links.without_consent, set by a trigger when
 * the link is written). docs/api-evidence.md, "Consent". */
#ifndef VSOK_EVIDENCE_CONSENT_H
#define VSOK_EVIDENCE_CONSENT_H

#include "http/http.h"
#include "forms/submission_store.h"

/* Called when an upload is created (tus POST): for a sheet of a group whose parents have not
 * consented, in a kindergarten that refuses such uploads, answers 422 /problems/no-consent
 * and returns its status (also on a database error); otherwise 0. */
int evidence_consent_check(request *rq, response *rs, const submission_row *sub);

#endif
