#!/bin/sh
# `cipherline sdp answer` (issue 3 §5) on the fixtures in tests/cli/fixtures: the
# carrier example offer in both suite orders, the 488 rules the flags reach, fresh keys,
# lines the edge does not own kept in order, and the tool's errors and help. Every
# check prints "ok   NAME" or "FAIL NAME"; the last line is "N passed, N failed"; the
# exit status is 1 when anything failed.
#
#   BUILD=build sh tests/cli/sdp_tool.sh
set -u
BUILD=${BUILD:-build}
CL="$BUILD/cipherline"
FX=$(dirname "$0")/fixtures
if [ ! -x "$CL" ]; then
	echo "FAIL $CL is built (make BUILD=$BUILD)"
	echo "0 passed, 1 failed"
	exit 1
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/sdp_tool.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
PASS=0
FAIL=0
CARRIER="$FX/carrier-offer.sdp"
PLAIN="$FX/plain-offer.sdp"
SAVP="$FX/savp-offer.sdp"
AV="$FX/audio-video-offer.sdp"
BADM="$FX/bad-m-offer.sdp"
CR=$(printf '\r')

. "$(dirname "$0")/lib/common.sh"

# run OUT IN ARGS...: cipherline ARGS with stdin from IN, stdout to OUT, stderr to
# OUT.err. Returns the exit status (124 on timeout).
run() {
	o=$1
	i=$2
	shift 2
	timeout 20 "$CL" "$@" <"$i" >"$o" 2>"$o.err"
}

# count_is FILE PATTERN N: N lines of FILE match the basic regex PATTERN.
count_is() {
	got=$(grep -c -- "$2" "$1")
	[ "$got" = "$3" ] && return 0
	echo "#   $got lines match '$2', want $3"
	return 1
}
# line_has FILE PATTERN: some line of FILE (CR removed) is exactly PATTERN.
line_has() {
	tr -d '\r' <"$1" | grep -qxF -- "$2" && return 0
	echo "#   no line '$2' in $(basename "$1")"
	return 1
}
# crypto_of FILE: the a=crypto value of the answer (tag, suite, key-params), no CR.
crypto_of() { tr -d '\r' <"$1" | sed -n 's/^a=crypto://p' | head -n 1; }
# inline_key FILE: the base64 after inline:, up to '|' or a blank.
inline_key() { crypto_of "$1" | sed 's/.*inline:\([^| ]*\).*/\1/'; }
# key_len FILE: bytes the answer's key decodes to.
key_len() { inline_key "$1" | base64 -d 2>/dev/null | wc -c | tr -d ' '; }
# all_crlf FILE: every line ends with CR LF, and the file is not empty.
all_crlf() { [ -s "$1" ] && awk '!/\r$/ { bad = 1 } END { exit bad }' "$1"; }
# kept FILE: FILE without the lines the edge owns for SDES (m= and a=crypto).
kept() { grep -v -e '^m=' -e '^a=crypto:' "$1"; }
same_kept() {
	kept "$1" >"$T/k1"
	kept "$2" >"$T/k2"
	cmp -s "$T/k1" "$T/k2" && return 0
	echo "#   first differences:"
	diff "$T/k1" "$T/k2" | head -n 4 | cut -c 1-100 | sed 's/^/#   /'
	return 1
}
# refused OUT RC WANT_TEXT: exit 3, and stdout is one line "488 ...WANT_TEXT...".
refused() {
	[ "$2" = 3 ] && [ "$(wc -l <"$1" | tr -d ' ')" = 1 ] && grep -q '^488 ' "$1" &&
		has "$1" "$3" && return 0
	echo "#   exit status $2 (want 3); stdout: $(head -c 200 "$1")"
	return 1
}

# names_whole FILE: each item of the 488 reason's list is a suite the carrier offer
# names (or an "N more" summary): a reason too long for its buffer is cut between names.
names_whole() {
	bad=$(sed 's/^[^:]*: //' "$1" | tr -d '\r' | awk -F', ' '{ for (i = 1; i <= NF; i++) print $i }' |
		while read -r n; do
			case $n in *more*) continue ;; esac
			grep -q " $n inline:" "$CARRIER" || echo "$n"
		done)
	[ -z "$bad" ] && return 0
	echo "#   not a whole suite name: '$bad' in: $(head -c 200 "$1")"
	return 1
}

# ---- the carrier example (the product brief), default flags ----
run "$T/c" "$CARRIER" sdp answer
rc=$?
check "carrier offer: exit status 0" status_is $rc 0
check "carrier offer: m=audio 51895 RTP/SAVP 0 101" line_has "$T/c" "m=audio 51895 RTP/SAVP 0 101"
check "carrier offer: exactly one a=crypto" count_is "$T/c" '^a=crypto:' 1
check "carrier offer: tag 1 AEAD_AES_256_GCM_8 (offerer's order)" \
	test "$(crypto_of "$T/c" | cut -d ' ' -f 1-2)" = "1 AEAD_AES_256_GCM_8"
check "carrier offer: the key decodes to 44 bytes" status_is "$(key_len "$T/c")" 44
check "carrier offer: the key is padded base64" test "$(inline_key "$T/c" | tail -c 2)" = "="
check "carrier offer: the key is not the offer's" hasnt "$CARRIER" "$(inline_key "$T/c")"
for k in $(sed -n 's/^a=crypto:[0-9]* [A-Z0-9_]* inline:\([^|\r]*\).*/\1/p' "$CARRIER"); do
	if has "$T/c" "$k"; then
		echo "#   the offer's key $k is in the answer"
		: >"$T/offer_key_leaked"
	fi
done
check "carrier offer: none of the offer's keys is in the answer" test ! -e "$T/offer_key_leaked"
check "carrier offer: no lifetime or MKI unless asked" test "$(crypto_of "$T/c" | tr -cd '|')" = ""
check "carrier offer: CRLF line endings" all_crlf "$T/c"
check "carrier offer: every other line kept, in order" same_kept "$CARRIER" "$T/c"
check "carrier offer: nothing on stderr" test ! -s "$T/c.err"

run "$T/c2" "$CARRIER" sdp answer
check "two runs give different keys" test "$(inline_key "$T/c")" != "$(inline_key "$T/c2")"

# ---- suite order: ours versus the offerer's ----
run "$T/o" "$CARRIER" sdp answer --order ours --suites AES_CM_128_HMAC_SHA1_80,AEAD_AES_256_GCM_8
rc=$?
check "--order ours: exit status 0" status_is $rc 0
check "--order ours: tag 5 AES_CM_128_HMAC_SHA1_80 (the carrier's answer)" \
	test "$(crypto_of "$T/o" | cut -d ' ' -f 1-2)" = "5 AES_CM_128_HMAC_SHA1_80"
check "--order ours: the key decodes to 30 bytes" status_is "$(key_len "$T/o")" 30
run "$T/o" "$CARRIER" sdp answer --suites AES_CM_128_HMAC_SHA1_80,AEAD_AES_256_GCM_8
check "same --suites in the offerer's order: tag 1" \
	test "$(crypto_of "$T/o" | cut -d ' ' -f 1-2)" = "1 AEAD_AES_256_GCM_8"
run "$T/o" "$CARRIER" sdp answer --suites AES_CM_128_HMAC_SHA1_80,AES_256_CM_HMAC_SHA1_80
check "--suites AES_CM_128_HMAC_SHA1_80,AES_256_CM_HMAC_SHA1_80: tag 3" \
	test "$(crypto_of "$T/o" | cut -d ' ' -f 1-2)" = "3 AES_256_CM_HMAC_SHA1_80"
check "... its key decodes to 46 bytes" status_is "$(key_len "$T/o")" 46
run "$T/o" "$CARRIER" sdp answer --order ours
check "--order ours with the default suites: tag 3 AES_256_CM_HMAC_SHA1_80" \
	test "$(crypto_of "$T/o" | cut -d ' ' -f 1-2)" = "3 AES_256_CM_HMAC_SHA1_80"
run "$T/o" "$CARRIER" sdp answer --suites aes_cm_256_hmac_sha1_80
check "--suites takes an alias in any case: tag 3" \
	test "$(crypto_of "$T/o" | cut -d ' ' -f 1-2)" = "3 AES_256_CM_HMAC_SHA1_80"
run "$T/o" "$CARRIER" sdp answer --suites AES_CM_128_NULL_AUTH
check "--suites AES_CM_128_NULL_AUTH allows what the default does not: tag 9" \
	test "$(crypto_of "$T/o" | cut -d ' ' -f 1-2)" = "9 AES_CM_128_NULL_AUTH"

# ---- 488 ----
run "$T/r" "$CARRIER" sdp answer --transport udp
check "--transport udp: 488 naming TLS, exit 3" refused "$T/r" $? TLS
run "$T/r" "$CARRIER" sdp answer --transport tcp
check "--transport tcp: 488 naming TLS, exit 3" refused "$T/r" $? TLS
run "$T/r" "$CARRIER" sdp answer --suites AEAD_AES_128_GCM
rc=$?
check "--suites AEAD_AES_128_GCM: 488, exit 3" refused "$T/r" $rc 488
check "... the reason names the offered suites" has "$T/r" "AEAD_AES_256_GCM_8, AEAD_AES_128_GCM_8"
check "... and cuts no suite name short" names_whole "$T/r"
run "$T/r" "$SAVP" sdp answer --srtp off
check "--srtp off, RTP/SAVP offer: 488 naming RTP/SAVP, exit 3" refused "$T/r" $? RTP/SAVP
run "$T/r" "$PLAIN" sdp answer --srtp required
check "--srtp required, plain offer: 488 naming a=crypto, exit 3" refused "$T/r" $? a=crypto
run "$T/r" "$PLAIN" sdp answer
check "plain offer with the default --srtp required: 488" refused "$T/r" $? a=crypto

# ---- SRTP off and optional ----
run "$T/p" "$CARRIER" sdp answer --srtp off
rc=$?
check "--srtp off, OSRTP offer: exit status 0" status_is $rc 0
check "--srtp off, OSRTP offer: no a=crypto" count_is "$T/p" '^a=crypto:' 0
check "--srtp off, OSRTP offer: stays RTP/AVP" line_has "$T/p" "m=audio 51895 RTP/AVP 0 101"
check "--srtp off, OSRTP offer: every other line kept" same_kept "$CARRIER" "$T/p"
run "$T/p" "$PLAIN" sdp answer --srtp optional
rc=$?
check "--srtp optional, plain offer: exit status 0" status_is $rc 0
check "--srtp optional, plain offer: answered as offered" cmp -s "$T/p" "$PLAIN"
run "$T/p" "$PLAIN" sdp answer --srtp off
check "--srtp off, plain offer: answered as offered" cmp -s "$T/p" "$PLAIN"
run "$T/p" "$CARRIER" sdp answer --srtp optional
rc=$?
check "--srtp optional, OSRTP offer: exit status 0" status_is $rc 0
check "--srtp optional, OSRTP offer: keeps RTP/AVP (RFC 8643)" \
	line_has "$T/p" "m=audio 51895 RTP/AVP 0 101"
check "--srtp optional, OSRTP offer: one a=crypto, tag 1" \
	test "$(crypto_of "$T/p" | cut -d ' ' -f 1)" = 1
run "$T/p" "$CARRIER" sdp answer --srtp optional --transport udp
rc=$?
check "--srtp optional over udp: best effort falls back to plain, exit 0" status_is $rc 0
check "--srtp optional over udp: no a=crypto" count_is "$T/p" '^a=crypto:' 0
run "$T/p" "$CARRIER" sdp answer --srtp optional --suites AEAD_AES_128_GCM
check "--srtp optional, no allowed suite: plain, exit 0" status_is $? 0

# ---- lifetime and MKI on our line ----
run "$T/l" "$CARRIER" sdp answer --lifetime 2^31 --mki-len 1
check "--lifetime 2^31 --mki-len 1: ends with |2^31|1:1" \
	test "$(crypto_of "$T/l" | sed 's/.*\(|2^31|1:1\)$/\1/')" = "|2^31|1:1"
run "$T/l" "$CARRIER" sdp answer --lifetime 2^31
check "--lifetime 2^31: ends with |2^31" test "$(crypto_of "$T/l" | sed 's/.*|//')" = "2^31"
run "$T/l" "$CARRIER" sdp answer --lifetime 1048576
check "--lifetime 1048576 is written 2^20" test "$(crypto_of "$T/l" | sed 's/.*|//')" = "2^20"
run "$T/l" "$CARRIER" sdp answer --mki-len 4
check "--mki-len 4: ends with |1:4" test "$(crypto_of "$T/l" | sed 's/.*|//')" = "1:4"
check "--mki-len 4: the key still decodes to 44 bytes" status_is "$(key_len "$T/l")" 44

# ---- other offers ----
run "$T/s" "$SAVP" sdp answer
rc=$?
check "RTP/SAVP offer: exit status 0" status_is $rc 0
check "RTP/SAVP offer: tag 1 AES_CM_128_HMAC_SHA1_80" \
	test "$(crypto_of "$T/s" | cut -d ' ' -f 1-2)" = "1 AES_CM_128_HMAC_SHA1_80"
check "RTP/SAVP offer: m= line unchanged" line_has "$T/s" "m=audio 16384 RTP/SAVP 9 0 101"
check "RTP/SAVP offer: unknown lines, b=, a=rtcp kept in order" same_kept "$SAVP" "$T/s"
check "RTP/SAVP offer: CRLF line endings" all_crlf "$T/s"

run "$T/v" "$AV" sdp answer
rc=$?
check "audio+video offer: exit status 0" status_is $rc 0
check "audio+video offer: two a=crypto" count_is "$T/v" '^a=crypto:' 2
check "audio+video offer: audio answers tag 1 AES_256_CM_HMAC_SHA1_80" \
	test "$(tr -d '\r' <"$T/v" | sed -n 's/^a=crypto://p' | sed -n 1p | cut -d ' ' -f 1-2)" = \
	"1 AES_256_CM_HMAC_SHA1_80"
check "audio+video offer: video answers tag 7" \
	test "$(tr -d '\r' <"$T/v" | sed -n 's/^a=crypto://p' | sed -n 2p | cut -d ' ' -f 1)" = 7
check "audio+video offer: video keeps RTP/SAVPF" line_has "$T/v" "m=video 40002 RTP/SAVPF 96"
check "audio+video offer: each a=crypto stays in its section" \
	test "$(tr -d '\r' <"$T/v" | awk '/^m=video/ { v = 1 } /^a=crypto:7 / { print v }')" = 1
check "audio+video offer: every other line kept" same_kept "$AV" "$T/v"

# LF line endings in, CRLF out, same answer shape.
tr -d '\r' <"$CARRIER" >"$T/lf.sdp"
run "$T/lf" "$T/lf.sdp" sdp answer
rc=$?
check "LF-only offer: exit status 0, answered with CRLF" test "$rc" = 0 -a -n "$(all_crlf "$T/lf" && echo y)"

# The size limit: 65536 bytes are taken, one more is refused.
pad=$((65536 - $(wc -c <"$CARRIER") - 10))
{ cat "$CARRIER"; printf 'a=x-pad:'; awk -v n=$pad 'BEGIN { while (n-- > 0) printf "p" }'; printf '\r\n'; } >"$T/big.sdp"
check "the size fixture is 65536 bytes" status_is "$(wc -c <"$T/big.sdp" | tr -d ' ')" 65536
run "$T/b" "$T/big.sdp" sdp answer
check "a 65536-byte offer is answered" status_is $? 0
printf ' ' >>"$T/big.sdp"
run "$T/b" "$T/big.sdp" sdp answer
rc=$?
check "a 65537-byte offer: exit status 2" status_is $rc 2
check "... 'offer larger than 65536 bytes'" has "$T/b.err" "offer larger than 65536 bytes"

# ---- --verbose ----
run "$T/vb" "$CARRIER" sdp answer --verbose
rc=$?
check "--verbose: exit status 0, answer on stdout" test "$rc" = 0 -a "$(crypto_of "$T/vb" | cut -c 1)" = 1
check "--verbose: names the chosen tag and suite" has "$T/vb.err" "tag 1 AEAD_AES_256_GCM_8"
check "--verbose: says why tag 9 is not used" has "$T/vb.err" "a=crypto:9 AES_CM_128_NULL_AUTH: not"
check "--verbose: stderr has no key (ours)" hasnt "$T/vb.err" "$(inline_key "$T/vb")"
check "--verbose: stderr has no key (theirs)" hasnt "$T/vb.err" "URvowj9NlyRUU4Ro4NIUbg"
check "--verbose: stderr has no 'inline:'" hasnt "$T/vb.err" "inline:"
run "$T/vb" "$CARRIER" sdp answer --verbose --transport udp
rc=$?
check "--verbose, 488: the rule and reason on stderr" has "$T/vb.err" "rule 6"
check "--verbose, 488: stdout is still the one 488 line" refused "$T/vb" $rc TLS
run "$T/vb" "$CARRIER" sdp answer --verbose --srtp off
check "--verbose, --srtp off: says plain RTP" has "$T/vb.err" "plain RTP"

# ---- errors: exit 2, a message on stderr, nothing on stdout ----
: >"$T/empty"
# usage NAME WANT_IN_STDERR IN ARGS...: cipherline ARGS < IN exits 2 and says WANT.
usage() {
	n=$1
	w=$2
	i=$3
	shift 3
	run "$T/u" "$i" "$@"
	rc=$?
	if [ $rc -eq 2 ] && has "$T/u.err" "$w" && [ ! -s "$T/u" ]; then
		pass "$n"
	else
		fail "$n"
		echo "#   exit status $rc (want 2); stderr: $(head -c 200 "$T/u.err")"
	fi
}
usage "bad m= line: names line 6" "line 6: m=" "$BADM" sdp answer
usage "bad m= line: the message starts with cipherline sdp" "cipherline sdp: line 6" "$BADM" sdp answer
usage "empty input" "empty" "$T/empty" sdp answer
printf 'hello\r\n' >"$T/junk"
usage "not SDP: names line 1" "line 1" "$T/junk" sdp answer
usage "unknown suite is named" AES_FOO "$CARRIER" sdp answer --suites AES_CM_128_HMAC_SHA1_80,AES_FOO
usage "unknown suite lists the valid names" AEAD_AES_256_GCM_8 "$CARRIER" sdp answer --suites AES_FOO
usage "empty name in --suites" --suites "$CARRIER" sdp answer --suites AES_CM_128_HMAC_SHA1_80,
usage "suite listed twice" twice "$CARRIER" sdp answer --suites AES_CM_128_HMAC_SHA1_80,aes_cm_128_hmac_sha1_80
usage "--order sideways" --order "$CARRIER" sdp answer --order theirs
usage "--srtp maybe" --srtp "$CARRIER" sdp answer --srtp maybe
usage "--transport sctp" --transport "$CARRIER" sdp answer --transport sctp
usage "--transport TLS (case matters)" --transport "$CARRIER" sdp answer --transport TLS
usage "--lifetime 0" --lifetime "$CARRIER" sdp answer --lifetime 0
usage "--lifetime 2^49" --lifetime "$CARRIER" sdp answer --lifetime 2^49
usage "--lifetime x" --lifetime "$CARRIER" sdp answer --lifetime x
usage "--mki-len 129" --mki-len "$CARRIER" sdp answer --mki-len 129
usage "--mki-len -1" --mki-len "$CARRIER" sdp answer --mki-len -1
usage "option without its value" --suites "$CARRIER" sdp answer --suites
usage "option given twice" --srtp "$CARRIER" sdp answer --srtp off --srtp off
usage "unknown option is named" --bogus "$CARRIER" sdp answer --bogus
usage "unexpected word" extra "$CARRIER" sdp answer extra
usage "-c x.yaml: configuration files are not here yet" \
	"cipherline sdp: -c: configuration files arrive with the connections issue; use --srtp/--suites/--order/--transport" \
	"$CARRIER" sdp answer -c x.yaml
usage "--connection alone is refused the same way" "--connection: configuration files" \
	"$CARRIER" sdp answer --connection carrier
usage "--direction sideways" --direction "$CARRIER" sdp answer -c x.yaml --direction sideways
usage "-c with --connection and --direction" "configuration files arrive" \
	"$CARRIER" sdp answer -c x.yaml --connection carrier --direction outbound
usage "sdp alone" "usage: cipherline sdp" "$T/empty" sdp
usage "unknown verb is named" frobnicate "$T/empty" sdp frobnicate
usage "option before the verb" "missing verb" "$T/empty" sdp --srtp off

# ---- help ----
run "$T/h" "$T/empty" sdp --help
check "cipherline sdp --help: exit status 0" status_is $? 0
check "cipherline sdp --help names answer" has "$T/h" answer
run "$T/h" "$T/empty" sdp answer --help
check "cipherline sdp answer --help: exit status 0" status_is $? 0
check "--help says --srtp defaults to required" has "$T/h" "required (default)"
check "--help explains the default" has "$T/h" "checking an SRTP offer"
check "--help says configuration files come later" has "$T/h" "arrive with the connections"
check "--help lists the suites with aliases" has "$T/h" "AES_CM_256_HMAC_SHA1_80"
check "--help names the exit statuses" has "$T/h" "3 offer refused (488)"
run "$T/h" "$T/empty" help sdp
check "cipherline help sdp: exit status 0" status_is $? 0
run "$T/h" "$T/empty" --help
check "cipherline --help lists sdp as available" \
	test -z "$(grep '^  sdp ' "$T/h" | grep 'not yet available')" -a -n "$(grep '^  sdp ' "$T/h")"

# Nothing on stderr, anywhere, holds a key: the offer's or one of our answers'.
leak=0
for f in "$T"/*.err; do
	for k in URvowj9NlyRUU4Ro4NIUbg TCkr9L8rtn4 "$(inline_key "$T/c")" "$(inline_key "$T/o")"; do
		if grep -qF -- "$k" "$f"; then
			leak=1
			echo "#   key found in $(basename "$f")"
		fi
	done
done
check "no message on stderr contains a key" status_is $leak 0

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
