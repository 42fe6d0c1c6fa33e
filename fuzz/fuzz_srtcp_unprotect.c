/* libFuzzer target: SRTCP unprotect (RFC 3711 §3.4, RFC 7714 §9) across the suite
 * families. The same driver as fuzz_srtp_unprotect.c, with the SRTCP entry points:
 * byte 0 picks the suite and options (bit 5 = UNENCRYPTED_SRTCP), the rest is an SRTCP
 * packet, or (bit 7) an RTCP packet that a sender protects and one byte is flipped. */
#define FUZZ_RTCP 1
#include "fuzz_srtp_unprotect.c"
