/* Private to src/sip: the typed pass that cl_sip_parse() runs after splitting lines. */
#ifndef CL_SIP_MSG_H
#define CL_SIP_MSG_H

#include "sip/sip.h"

/* Resets everything from first[] on to "absent". */
void cl_sip_msg_reset_typed(struct cl_sip_msg *m);
/* Names, trims and decodes every header line, then checks the mandatory ones.
 * Returns 0 or EBADMSG with err filled. */
int cl_sip_msg_decode(struct cl_sip_msg *m, struct cl_sip_error *err, const char *base);

#endif
