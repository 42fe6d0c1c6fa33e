#!/bin/sh
# `cipherline srtp` against libsrtp2: every suite both support, RTP and RTCP, both
# directions through $BUILD/tests/tools/srtp_oracle_pipe, plus the tool's error
# handling and options. Every check prints "ok   NAME" or "FAIL NAME"; the last line
# is "N passed, N failed"; the exit status is 1 when anything failed.
#
#   BUILD=build sh tests/cli/srtp_tool.sh
set -u
BUILD=${BUILD:-build}
CL="$BUILD/cipherline"
OR="$BUILD/tests/tools/srtp_oracle_pipe"
for b in "$CL" "$OR"; do
	if [ ! -x "$b" ]; then
		echo "FAIL $b is built (make BUILD=$BUILD tests)"
		echo "0 passed, 1 failed"
		exit 1
	fi
done
T=$(mktemp -d "${TMPDIR:-/tmp}/srtp_tool.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
PASS=0
FAIL=0

# Master key ‖ salt, bytes (37 i + 11) mod 256, as an a=crypto inline: carries them.
K30=CzBVep/E6Q4zWH2ix+wRNluApcrvFDleg6jN8hc8
K38=CzBVep/E6Q4zWH2ix+wRNluApcrvFDleg6jN8hc8YYar0PUaP2Q=
K46=CzBVep/E6Q4zWH2ix+wRNluApcrvFDleg6jN8hc8YYar0PUaP2SJrtP4HUJnjA==
K28=CzBVep/E6Q4zWH2ix+wRNluApcrvFDleg6jN8g==
K44=CzBVep/E6Q4zWH2ix+wRNluApcrvFDleg6jN8hc8YYar0PUaP2SJrtP4HUI=

# Every suite cipherline and libsrtp2 both have (no f8, no NULL_HMAC_SHA1_32).
SUITES="AES_CM_128_HMAC_SHA1_80 AES_CM_128_HMAC_SHA1_32
AES_192_CM_HMAC_SHA1_80 AES_192_CM_HMAC_SHA1_32
AES_256_CM_HMAC_SHA1_80 AES_256_CM_HMAC_SHA1_32
AEAD_AES_128_GCM AEAD_AES_256_GCM AEAD_AES_128_GCM_8 AEAD_AES_256_GCM_8
AES_CM_128_NULL_AUTH NULL_HMAC_SHA1_80"

key_for() {
	case $1 in
	AEAD_AES_128_GCM*) echo "$K28" ;;
	AEAD_AES_256_GCM*) echo "$K44" ;;
	AES_192_*) echo "$K38" ;;
	AES_256_*) echo "$K46" ;;
	*) echo "$K30" ;;
	esac
}

. "$(dirname "$0")/lib/common.sh"

# run OUT IN PROGRAM ARGS...: stdin from IN, stdout to OUT, stderr to OUT.err.
# Returns the program's exit status (124 on timeout).
run() {
	o=$1
	i=$2
	shift 2
	timeout 20 "$@" <"$i" >"$o" 2>"$o.err"
}

# same RCS WANT_RCS FILE1 FILE2: exit statuses as expected and identical files;
# shows the first difference when not.
same() {
	if [ "$1" = "$2" ] && cmp -s "$3" "$4"; then
		return 0
	fi
	echo "#   exit statuses $1 (want $2); first differences of $3 and $4:"
	diff "$3" "$4" 2>&1 | head -n 4 | cut -c 1-120 | sed 's/^/#   /'
	return 1
}

# has FILE STRING: FILE contains STRING literally.
# status_is GOT WANT
# line_is FILE N TEXT: line N of FILE is exactly TEXT.
line_is() {
	got=$(sed -n "$2p" "$1")
	[ "$got" = "$3" ] && return 0
	echo "#   line $2 of $(basename "$1") is '$(echo "$got" | cut -c 1-60)', want '$3'"
	return 1
}

# ---- deterministic packets (a small LCG in awk; no randomness between runs) ----

# gen_rtp COUNT SEQ0 STEP SSRC SEED: RTP packets as hex. Some carry a CSRC, some a
# one-byte header extension (RFC 8285), one has no payload; SEQ wraps mod 2^16.
gen_rtp() {
	awk -v n="$1" -v seq="$2" -v step="$3" -v ssrc="$4" -v seed="$5" '
	function rnd() { seed = (seed * 75 + 74) % 65537; return seed % 256 }
	BEGIN {
		for (i = 0; i < n; i++) {
			s = (seq + i * step) % 65536
			x = (i % 7 == 3); cc = (i % 11 == 5)
			ts = (1000 + i * 160) % 4294967296
			line = sprintf("%02x%02x%04x%04x%04x%s", 128 + 16 * x + cc,
				(i % 5 == 0) ? 128 : 0, s, int(ts / 65536), ts % 65536, ssrc)
			if (cc) line = line "0badf00d"
			if (x) line = line sprintf("bede000110%02x0000", rnd())
			len = (i == 10) ? 0 : 1 + rnd() % 172
			for (j = 0; j < len; j++) line = line sprintf("%02x", rnd())
			print line
		}
	}'
}

# gen_rtcp COUNT SSRC SEED: compound RTCP: an SR or an RR first, some with a BYE.
gen_rtcp() {
	awk -v n="$1" -v ssrc="$2" -v seed="$3" '
	function rnd() { seed = (seed * 75 + 74) % 65537; return seed % 256 }
	function bytes(k,   j, r) { r = ""; for (j = 0; j < k; j++) r = r sprintf("%02x", rnd()); return r }
	BEGIN {
		for (i = 0; i < n; i++) {
			if (i % 4 == 1)
				line = "81c90007" ssrc bytes(24)     # RR with one report block
			else
				line = "80c80006" ssrc bytes(20)     # SR without report blocks
			if (i % 3 == 2)
				line = line "81cb0001" ssrc          # BYE
			print line
		}
	}'
}

# 50 RTP packets: one SSRC crossing SEQ 65535 -> 0, then a second SSRC.
{
	gen_rtp 35 65510 1 11223344 7
	gen_rtp 15 40000 3 cafebabe 99
} >"$T/rtp"
# 20 RTCP packets over two SSRCs.
{
	gen_rtcp 14 11223344 5
	gen_rtcp 6 cafebabe 77
} >"$T/rtcp"
# 50 RTP packets for the ROC checks: SEQ 20000 in steps of 1000, wrapping once.
gen_rtp 50 20000 1000 0a0b0c0d 3 >"$T/rtp_roc"
head -n 1 "$T/rtp" >"$T/one"

# ---- interop with libsrtp2, every common suite ----

# Known libsrtp2 defects. A check they break prints "skip NAME (why)" and is not
# counted; the rest of the suite still runs against libsrtp2.
LIBSRTP=$(timeout 20 "$OR" --version 2>/dev/null)
LIBSRTP_VER=$(echo "$LIBSRTP" | sed -n 's/.* \([0-9][0-9]*\)\.\([0-9][0-9]*\).*/\1 \2/p')
# libsrtp2 before 2.7 derives AES-192 session keys with the AES-256 PRF over a
# zero-padded key (cisco/libsrtp#763, fixed by #765), unlike RFC 6188 §4.
AES192_BUG=""
# shellcheck disable=SC2086 # split "2 5" into $1 and $2
set -- $LIBSRTP_VER
if [ $# -eq 2 ] && { [ "$1" -lt 2 ] || { [ "$1" -eq 2 ] && [ "$2" -lt 7 ]; }; }; then
	AES192_BUG="$LIBSRTP derives AES-192 keys with the AES-256 PRF, cisco/libsrtp#763"
fi
KNOWN_ALL=""    # reason to skip every libsrtp2 check of the next interop call
KNOWN_TO_LIB="" # reason to skip only "cipherline protect -> libsrtp2 unprotect"

skip() { echo "skip $1 ($2)"; }

# rtcp_primer INPUT: one RTCP packet for each SSRC of INPUT, in order of appearance.
# RFC 3711 §3.4: the SRTCP index is zero before the first packet is sent and is
# incremented after each; cipherline sends 0 first, libsrtp2 increments first and
# sends 1. Both receivers accept either, so byte-for-byte comparison of SRTCP output
# primes cipherline with one packet per SSRC to line the indexes up.
rtcp_primer() {
	cut -c 9-16 "$1" | awk '!seen[$0]++ { print "80c80006" $0 "0000000000000000000000000000000000000000" }'
}

# interop NAME SUITE INPUT ARGS...: both directions through libsrtp2, and equal
# protect output (ARGS go to both tools).
interop() {
	i_name=$1
	s=$2
	in=$3
	shift 3
	k=$(key_for "$s")
	i_rtcp=0
	for a in "$@"; do [ "$a" = --rtcp ] && i_rtcp=1; done
	run "$T/cl.p" "$in" "$CL" srtp protect --suite "$s" --key "$k" "$@"
	r1=$?
	run "$T/cl.u" "$T/cl.p" "$CL" srtp unprotect --suite "$s" --key "$k" "$@"
	check "$i_name cipherline protect -> cipherline unprotect" same "$r1$?" 00 "$T/cl.u" "$in"
	if [ -n "$KNOWN_ALL" ]; then
		skip "$i_name cipherline <-> libsrtp2" "$KNOWN_ALL"
		return
	fi
	run "$T/or.u" "$T/cl.p" "$OR" unprotect --suite "$s" --key "$k" "$@"
	r2=$?
	if [ -n "$KNOWN_TO_LIB" ]; then
		skip "$i_name cipherline protect -> libsrtp2 unprotect" "$KNOWN_TO_LIB"
	else
		check "$i_name cipherline protect -> libsrtp2 unprotect" same "$r1$r2" 00 "$T/or.u" "$in"
	fi
	run "$T/or.p" "$in" "$OR" protect --suite "$s" --key "$k" "$@"
	r3=$?
	run "$T/cl.u" "$T/or.p" "$CL" srtp unprotect --suite "$s" --key "$k" "$@"
	r4=$?
	check "$i_name libsrtp2 protect -> cipherline unprotect" same "$r3$r4" 00 "$T/cl.u" "$in"
	if [ $i_rtcp -eq 1 ]; then
		rtcp_primer "$in" >"$T/cl.in"
		np=$(wc -l <"$T/cl.in")
		cat "$in" >>"$T/cl.in"
		run "$T/cl.pp" "$T/cl.in" "$CL" srtp protect --suite "$s" --key "$k" "$@"
		r1=$?
		tail -n +$((np + 1)) "$T/cl.pp" >"$T/cl.p"
	fi
	check "$i_name protect output equals libsrtp2's" same "$r1$r3" 00 "$T/cl.p" "$T/or.p"
}

for s in $SUITES; do
	case $s in AES_192_*) KNOWN_ALL=$AES192_BUG ;; esac
	interop "$s rtp:" "$s" "$T/rtp"
	interop "$s rtcp:" "$s" "$T/rtcp" --rtcp
	KNOWN_ALL=""
done

# The ROC given on the command line, on a stream that wraps once (see the caveat
# in srtp_oracle_pipe.c: a first SEQ below 32768 keeps libsrtp2 in that ROC).
for s in AES_CM_128_HMAC_SHA1_80 AEAD_AES_256_GCM; do
	interop "$s --roc 7:" "$s" "$T/rtp_roc" --roc 7
	run "$T/roc.p" "$T/rtp_roc" "$CL" srtp protect --suite "$s" --key "$(key_for "$s")" --roc 7
	run "$T/roc.u" "$T/roc.p" "$CL" srtp unprotect --suite "$s" --key "$(key_for "$s")"
	check "$s --roc 7: a receiver at ROC 0 rejects it" status_is $? 1
	check "$s --roc 7: ... with ERR auth" line_is "$T/roc.u" 1 "ERR auth"
done

# Session parameters and MKI, against libsrtp2 too.
interop "MKI 1:4 AES_CM_128_HMAC_SHA1_80:" AES_CM_128_HMAC_SHA1_80 "$T/rtp" --mki 1:4
interop "MKI 1:4 rtcp AES_CM_128_HMAC_SHA1_80:" AES_CM_128_HMAC_SHA1_80 "$T/rtcp" --rtcp --mki 1:4
# libsrtp2 2.5 looks for the SRTCP MKI behind a tag of the SRTP tag's length, so with
# a _32 suite it cannot even unprotect its own SRTCP packets.
KNOWN_TO_LIB="libsrtp2 2.5 misplaces the SRTCP MKI of _32 suites"
interop "MKI 1:4 rtcp AES_CM_128_HMAC_SHA1_32:" AES_CM_128_HMAC_SHA1_32 "$T/rtcp" --rtcp --mki 1:4
KNOWN_TO_LIB=""
interop "MKI 258:2 AEAD_AES_128_GCM:" AEAD_AES_128_GCM "$T/rtp" --mki 258:2
interop "MKI 1:1 rtcp AEAD_AES_256_GCM:" AEAD_AES_256_GCM "$T/rtcp" --rtcp --mki 1:1
interop "UNENCRYPTED_SRTP:" AES_CM_128_HMAC_SHA1_80 "$T/rtp" --unencrypted-srtp
interop "UNENCRYPTED_SRTCP:" AES_CM_128_HMAC_SHA1_80 "$T/rtcp" --rtcp --unencrypted-srtcp
# libsrtp2 2.5's srtp_unprotect strips a tag's length even when SRTP is not
# authenticated, so it cannot unprotect its own UNAUTHENTICATED_SRTP packets either.
KNOWN_TO_LIB="libsrtp2 2.5 strips a tag UNAUTHENTICATED_SRTP packets do not have"
interop "UNAUTHENTICATED_SRTP:" AES_CM_128_HMAC_SHA1_80 "$T/rtp" --unauthenticated-srtp
KNOWN_TO_LIB=""

# ---- the line protocol ----
S=AES_CM_128_HMAC_SHA1_80
P1=$(sed -n 1p "$T/rtp")
run "$T/p1" "$T/one" "$CL" srtp protect --suite $S --key "$K30"
C1=$(cat "$T/p1")

printf '%s\n%s\n' "$C1" "$C1" >"$T/in"
run "$T/out" "$T/in" "$CL" srtp unprotect --suite $S --key "$K30"
check "replayed packet: exit status 1" status_is $? 1
check "replayed packet: first copy decrypts" line_is "$T/out" 1 "$P1"
check "replayed packet: second copy is ERR replay" line_is "$T/out" 2 "ERR replay"

BADTAG=$(echo "$C1" | awk '{ c = substr($0, length($0)); print substr($0, 1, length($0) - 1) (c == "0" ? "1" : "0") }')
BADPAY=$(echo "$C1" | awk '{ c = substr($0, 30, 1); print substr($0, 1, 29) (c == "0" ? "1" : "0") substr($0, 31) }')
printf '%s\n%s\n%s\n' "$BADTAG" "$BADPAY" "$C1" >"$T/in"
run "$T/out" "$T/in" "$CL" srtp unprotect --suite $S --key "$K30"
check "corrupted packets: exit status 1" status_is $? 1
check "corrupted tag: ERR auth" line_is "$T/out" 1 "ERR auth"
check "corrupted payload: ERR auth" line_is "$T/out" 2 "ERR auth"
check "processing continues after errors" line_is "$T/out" 3 "$P1"

run "$T/g1" "$T/one" "$CL" srtp protect --suite AEAD_AES_128_GCM --key "$K28"
printf '%s\n' "$(awk '{ c = substr($0, 40, 1); print substr($0, 1, 39) (c == "f" ? "e" : "f") substr($0, 41) }' "$T/g1")" >"$T/in"
run "$T/out" "$T/in" "$CL" srtp unprotect --suite AEAD_AES_128_GCM --key "$K28"
check "corrupted GCM packet: ERR auth" line_is "$T/out" 1 "ERR auth"

printf '%s\n%s\n%s\n%s\n' "zz" "abc" "80 0g" "$C1" >"$T/in"
run "$T/out" "$T/in" "$CL" srtp unprotect --suite $S --key "$K30"
check "bad hex: exit status 1" status_is $? 1
check "non-hex line: ERR hex" line_is "$T/out" 1 "ERR hex"
check "odd digit count: ERR hex" line_is "$T/out" 2 "ERR hex"
check "bad digit after a space: ERR hex" line_is "$T/out" 3 "ERR hex"
check "good line after bad hex decrypts" line_is "$T/out" 4 "$P1"

printf '800000010000000000000001\n' >"$T/in"
run "$T/out" "$T/in" "$CL" srtp unprotect --suite $S --key "$K30"
check "packet too short for a tag: ERR short" line_is "$T/out" 1 "ERR short"

printf '\n%s\n\n' "$C1" >"$T/in"
run "$T/out" "$T/in" "$CL" srtp unprotect --suite $S --key "$K30"
check "blank lines: exit status 0" status_is $? 0
check "blank lines: one output line per input line" status_is "$(wc -l <"$T/out" | tr -d ' ')" 3
check "blank line gives an empty line" line_is "$T/out" 1 ""
check "line after a blank line decrypts" line_is "$T/out" 2 "$P1"

printf '%s\r\n' "$C1" >"$T/in"
run "$T/out" "$T/in" "$CL" srtp unprotect --suite $S --key "$K30"
check "CRLF line decrypts" line_is "$T/out" 1 "$P1"

printf '%s' "$C1" >"$T/in"
run "$T/out" "$T/in" "$CL" srtp unprotect --suite $S --key "$K30"
check "last line without newline decrypts" line_is "$T/out" 1 "$P1"

echo "$C1" | sed 's/\(..\)/\1 /g; s/^/  /' >"$T/in"
run "$T/out" "$T/in" "$CL" srtp unprotect --suite $S --key "$K30"
check "hex with spaces decrypts" line_is "$T/out" 1 "$P1"

echo "$C1" | tr 'a-f' 'A-F' >"$T/in"
run "$T/out" "$T/in" "$CL" srtp unprotect --suite $S --key "$K30"
check "uppercase hex decrypts" line_is "$T/out" 1 "$P1"

# 64 KiB lines: a 65536-digit packet is taken, 65538 digits is ERR long.
awk 'BEGIN { l = "80000001000000000a0b0c0d"; while (length(l) < 65536) l = l "ab"; print l; print l "cd" }' >"$T/in"
echo "$P1" >>"$T/in"
run "$T/out" "$T/in" "$CL" srtp protect --suite $S --key "$K30"
check "long lines: exit status 1" status_is $? 1
check "65536 hex digits are one packet" status_is "$(sed -n 1p "$T/out" | wc -c | tr -d ' ')" $((65536 + 20 + 1))
check "65538 hex digits: ERR long" line_is "$T/out" 2 "ERR long"
check "line after a long line is processed" line_is "$T/out" 3 "$C1"

# Output is flushed per line: the answer arrives while stdin is still open.
mkfifo "$T/fifo"
timeout 20 "$CL" srtp unprotect --suite $S --key "$K30" <"$T/fifo" >"$T/live" 2>/dev/null &
bgpid=$!
exec 3>"$T/fifo"
echo "$C1" >&3
i=0
while [ $i -lt 200 ] && [ ! -s "$T/live" ]; do
	sleep 0.05
	i=$((i + 1))
done
check "each line is flushed while input stays open" line_is "$T/live" 1 "$P1"
exec 3>&-
wait $bgpid

# ---- keys ----
K46U=$(echo "$K46" | tr -d '=')
run "$T/ref46" "$T/rtp" "$CL" srtp protect --suite AES_256_CM_HMAC_SHA1_80 --key "$K46"
r1=$?
run "$T/out" "$T/rtp" "$CL" srtp protect --suite AES_256_CM_HMAC_SHA1_80 --key "$K46U"
check "unpadded key gives the padded key's output" same "$r1$?" 00 "$T/out" "$T/ref46"
run "$T/out" "$T/rtp" "$CL" srtp protect --suite AES_256_CM_HMAC_SHA1_80 --key "inline:$K46U"
check "inline: prefix accepted" same "$?" 0 "$T/out" "$T/ref46"
run "$T/out" "$T/rtp" "$CL" srtp protect --suite AES_CM_256_HMAC_SHA1_80 --key "$K46"
check "alias suite name AES_CM_256_HMAC_SHA1_80" same "$?" 0 "$T/out" "$T/ref46"

run "$T/mk.p" "$T/rtp" "$CL" srtp protect --suite $S --key "inline:$K30|2^20|1:4"
r1=$?
run "$T/mk.u" "$T/mk.p" "$CL" srtp unprotect --suite $S --key "$K30" --mki 1:4 --lifetime 2^20
check "inline:KEY|2^20|1:4 equals --mki 1:4 --lifetime 2^20" same "$r1$?" 00 "$T/mk.u" "$T/rtp"
run "$T/out" "$T/mk.p" "$CL" srtp unprotect --suite $S --key "$K30" --mki 2:4
check "unknown MKI: exit status 1" status_is $? 1
check "unknown MKI: ERR mki" line_is "$T/out" 1 "ERR mki"

# ---- other options ----
# --window: SEQ 200 arrives, then 100 (more than 64 back) and 150 (inside 64).
gen_rtp 200 1 1 01020304 11 >"$T/w"
run "$T/w.p" "$T/w" "$CL" srtp protect --suite $S --key "$K30"
{ sed -n 200p "$T/w.p"; sed -n 100p "$T/w.p"; sed -n 150p "$T/w.p"; } >"$T/in"
run "$T/out" "$T/in" "$CL" srtp unprotect --suite $S --key "$K30" --window 64
check "--window 64: a packet 100 back is ERR replay" line_is "$T/out" 2 "ERR replay"
check "--window 64: a packet 50 back is accepted" line_is "$T/out" 3 "$(sed -n 150p "$T/w")"
run "$T/out" "$T/in" "$CL" srtp unprotect --suite $S --key "$K30"
check "default window 128: a packet 100 back is accepted" line_is "$T/out" 2 "$(sed -n 100p "$T/w")"

run "$T/kdr.p" "$T/rtp" "$CL" srtp protect --suite $S --key "$K30" --kdr 4
r1=$?
run "$T/kdr.u" "$T/kdr.p" "$CL" srtp unprotect --suite $S --key "$K30" --kdr 4
check "--kdr 4 round trip" same "$r1$?" 00 "$T/kdr.u" "$T/rtp"
run "$T/kdr0.p" "$T/rtp" "$CL" srtp protect --suite $S --key "$K30"
check "--kdr 4 output differs from KDR 0" test "$(cat "$T/kdr.p")" != "$(cat "$T/kdr0.p")"
run "$T/out" "$T/rtp" "$CL" srtp protect --suite $S --key "$K30" --kdr 0
check "--kdr 0 equals the default" same "$?" 0 "$T/out" "$T/kdr0.p"

run "$T/out" "$T/rtp" "$CL" srtp protect --suite $S --key "$K30" --lifetime 10
check "--lifetime 10: exit status 1" status_is $? 1
check "--lifetime 10: packet 1 is protected" line_is "$T/out" 1 "$(sed -n 1p "$T/kdr0.p")"
check "--lifetime 10: packet 50 is ERR exhausted" line_is "$T/out" 50 "ERR exhausted"

run "$T/out" "$T/rtp" "$CL" srtp protect --suite $S --key "$K30" --unencrypted-srtp
plain3=$(sed -n 3p "$T/rtp")
check "--unencrypted-srtp leaves the payload in clear" \
	test "$(sed -n 3p "$T/out" | cut -c "1-${#plain3}")" = "$plain3"

# ---- usage errors: exit 2, a message, never the key ----
: >"$T/empty"
# usage NAME WANT_IN_STDERR ARGS...: cipherline ARGS exits 2 and says WANT.
usage() {
	n=$1
	w=$2
	shift 2
	run "$T/u" "$T/empty" "$CL" "$@"
	rc=$?
	if [ $rc -eq 2 ] && has "$T/u.err" "$w" && hasnt "$T/u.err" "$K30" && hasnt "$T/u.err" "$K46" &&
		[ ! -s "$T/u" ]; then
		pass "$n"
	else
		fail "$n"
		echo "#   exit status $rc (want 2); stderr: $(head -c 200 "$T/u.err")"
	fi
}
usage "unknown suite lists the valid names" AEAD_AES_256_GCM_8 srtp protect --suite AES_FOO --key "$K30"
usage "unknown suite is named" AES_FOO srtp protect --suite AES_FOO --key "$K30"
usage "wrong key length names the expected length" 30 srtp protect --suite $S --key "$K46"
usage "wrong key length for GCM names 28" 28 srtp protect --suite AEAD_AES_128_GCM --key "$K30"
usage "bad base64 key" base64 srtp protect --suite $S --key 'Cz!Vep/E6Q4zWH2ix+wRNluApcrvFDleg6jN8hc8'
usage "missing --key" --key srtp protect --suite $S
usage "missing --suite" --suite srtp protect --key "$K30"
usage "missing action" protect srtp --suite $S --key "$K30"
usage "unknown action" encrypt srtp encrypt --suite $S --key "$K30"
usage "unknown option is named" --bogus srtp protect --suite $S --key "$K30" --bogus
usage "option without its value" --window srtp protect --suite $S --key "$K30" --window
usage "option given twice" --roc srtp protect --suite $S --key "$K30" --roc 1 --roc 2
usage "--window 63" --window srtp protect --suite $S --key "$K30" --window 63
usage "--window 32769" --window srtp protect --suite $S --key "$K30" --window 32769
usage "--window abc" --window srtp protect --suite $S --key "$K30" --window abc
usage "--window empty" --window srtp protect --suite $S --key "$K30" --window=
usage "--roc -1" --roc srtp protect --suite $S --key "$K30" --roc -1
usage "--roc 2^32" --roc srtp protect --suite $S --key "$K30" --roc 4294967296
usage "--roc 1x" --roc srtp protect --suite $S --key "$K30" --roc 1x
usage "--roc ' 1'" --roc srtp protect --suite $S --key "$K30" --roc ' 1'
usage "--kdr 25" --kdr srtp protect --suite $S --key "$K30" --kdr 25
usage "--lifetime 2^49" --lifetime srtp protect --suite $S --key "$K30" --lifetime 2^49
usage "--lifetime 0" --lifetime srtp protect --suite $S --key "$K30" --lifetime 0
usage "--mki 256:1 does not fit" --mki srtp protect --suite $S --key "$K30" --mki 256:1
usage "--mki 1:129" --mki srtp protect --suite $S --key "$K30" --mki 1:129
usage "--mki 1" --mki srtp protect --suite $S --key "$K30" --mki 1
usage "MKI in --key and --mki" MKI srtp protect --suite $S --key "$K30|1:4" --mki 1:4
usage "flag with a value" --rtcp srtp protect --suite $S --key "$K30" --rtcp=1
usage "unknown command is named" frobnicate frobnicate
usage "unknown top-level option is named" --bogus --bogus
usage "run with an unknown option names it" "--bogus" run --bogus
usage "cert alone prints its usage" "usage: cipherline cert" cert
usage "sdp alone prints its usage" "usage: cipherline sdp" sdp
usage "version takes no arguments" extra version extra

run "$T/u" "$T/empty" "$CL"
check "no command: exit status 2" status_is $? 2

for a in 64 32768; do
	run "$T/u" "$T/empty" "$CL" srtp unprotect --suite $S --key "$K30" --window $a
	check "--window $a accepted" status_is $? 0
done
run "$T/u" "$T/empty" "$CL" srtp unprotect --suite $S --key "$K30" --roc=4294967295 --kdr 24
check "--roc=4294967295 --kdr 24 accepted" status_is $? 0

# ---- help and version ----
run "$T/h" "$T/empty" "$CL" --help
check "cipherline --help: exit status 0" status_is $? 0
check "cipherline --help lists srtp" has "$T/h" srtp
check "cipherline --help lists version" has "$T/h" version
check "cipherline --help lists run" has "$T/h" "run"
run "$T/h" "$T/empty" "$CL" srtp --help
check "cipherline srtp --help: exit status 0" status_is $? 0
check "cipherline srtp --help names --window" has "$T/h" --window
check "cipherline srtp --help lists the suites" has "$T/h" AEAD_AES_256_GCM_8
run "$T/h" "$T/empty" "$CL" srtp protect --suite $S --help
check "--help after other options: exit status 0" status_is $? 0
run "$T/h" "$T/empty" "$CL" help srtp
check "cipherline help srtp: exit status 0" status_is $? 0
run "$T/h" "$T/empty" "$CL" version --help
check "cipherline version --help: exit status 0" status_is $? 0
run "$T/h" "$T/empty" "$CL" version
check "cipherline version: exit status 0" status_is $? 0
check "cipherline version prints cipherline 0.1.0" line_is "$T/h" 1 "cipherline 0.1.0"
check "cipherline version prints the OpenSSL version" has "$T/h" OpenSSL

# Nothing the tool printed, anywhere, contains a key.
leak=0
for f in "$T"/*; do
	[ -f "$f" ] || continue
	for k in "$K30" "$K38" "$K46" "$K28" "$K44" "$K46U"; do
		if grep -qF -- "$k" "$f"; then
			leak=1
			echo "#   key found in $(basename "$f")"
		fi
	done
done
check "no output or message contains a key" status_is $leak 0

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
