#!/bin/sh
# `cipherline cert init|check|bundle` against `openssl s_server` on loopback, with
# certificates made by `cert init` and by `openssl ca`: a good chain with an
# intermediate, an expired leaf, an unknown CA, wrong names, a TLS 1.1-only server,
# refused and silent ports, and the bundle. Every check prints "ok   NAME" or
# "FAIL NAME"; the last line is "N passed, N failed"; exit status 1 on any failure.
# No external network: every server listens on 127.0.0.1.
#
#   BUILD=build sh tests/cli/cert_tool.sh
set -u
BUILD=${BUILD:-build}
CL="$BUILD/cipherline"
if [ ! -x "$CL" ]; then
	echo "FAIL $CL is built (make BUILD=$BUILD tests)"
	echo "0 passed, 1 failed"
	exit 1
fi
for tool in openssl python3 timeout; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "FAIL $tool is installed"
		echo "0 passed, 1 failed"
		exit 1
	fi
done
T=$(mktemp -d "${TMPDIR:-/tmp}/cert_tool.XXXXXX") || exit 1
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	[ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
PASS=0
FAIL=0

. "$(dirname "$0")/lib/common.sh"
# run OUT PROGRAM ARGS...: stdout to OUT, stderr to OUT.err; returns the exit status.
run() {
	o=$1
	shift
	timeout 20 "$@" </dev/null >"$o" 2>"$o.err"
}
# eq GOT WANT: strings equal, showing both when not.
eq() {
	[ "$1" = "$2" ] && return 0
	echo "#   got  '$1'"
	echo "#   want '$2'"
	return 1
}
# field FILE N KEY: the value of "  KEY: value" in certificate N of `cert check` output.
field() {
	awk -v n="certificate $2" -v k="  $3:" '
		index($0, n) == 1 { on = 1; next }
		/^certificate / { on = 0 }
		on && index($0, k) == 1 { sub(/^  [a-z0-9 ]+: +/, ""); print; exit }' "$1"
}
fp() { openssl x509 -in "$1" -noout -fingerprint "-$2" | sed 's/^[^=]*=//'; }
# serve OUTVAR ARGS...: starts openssl s_server on a free loopback port with ARGS,
# waits (at most 10 s) until it accepts, and sets OUTVAR to the port ("" on failure).
serve() {
	sv_var=$1
	shift
	sv_port=$(free_port)
	sv_log="$T/server.$sv_port"
	timeout 120 openssl s_server -accept "127.0.0.1:$sv_port" -www "$@" \
		</dev/null >"$sv_log" 2>&1 &
	PIDS="$PIDS $!"
	i=0
	while [ $i -lt 100 ] && ! grep -q ACCEPT "$sv_log"; do
		sleep 0.1
		i=$((i + 1))
	done
	if grep -q ACCEPT "$sv_log"; then
		eval "$sv_var=$sv_port"
	else
		echo "#   s_server $*: $(head -c 300 "$sv_log")"
		eval "$sv_var="
	fi
}

# ---- cert init ----
P="$T/pki"
run "$T/init" "$CL" cert init --dir "$P" --name sip.example --ip 127.0.0.1 --ip ::1
check "init: exit status 0" status_is $? 0
for f in ca.pem ca.key server.key server.pem server-chain.pem; do
	check "init: wrote $f" test -s "$P/$f"
done
check "init: server.key is mode 600" eq "$(stat -c %a "$P/server.key")" 600
check "init: ca.key is mode 600" eq "$(stat -c %a "$P/ca.key")" 600
check "init: server.pem is mode 644" eq "$(stat -c %a "$P/server.pem")" 644
check "init: prints the leaf's SHA-256" has "$T/init" "$(fp "$P/server.pem" sha256)"
openssl verify -CAfile "$P/ca.pem" -untrusted "$P/server-chain.pem" "$P/server.pem" \
	>"$T/v" 2>&1
check "init: openssl verifies leaf -> intermediate -> CA" has "$T/v" "server.pem: OK"
openssl x509 -in "$P/server.pem" -noout -text >"$T/text"
check "init: SAN URI sip:sip.example (RFC 5922)" has "$T/text" "URI:sip:sip.example"
check "init: SAN DNS:sip.example" has "$T/text" "DNS:sip.example"
check "init: SAN IP 127.0.0.1" has "$T/text" "IP Address:127.0.0.1"
check "init: SAN IP ::1" has "$T/text" "IP Address:0:0:0:0:0:0:0:1"
check "init: ECDSA with SHA-256" has "$T/text" "ecdsa-with-SHA256"
check "init: EC P-256 key" has "$T/text" "NIST CURVE: P-256"
check "init: leaf is CA:FALSE" has "$T/text" "CA:FALSE"
check "init: leaf is for serverAuth and clientAuth" has "$T/text" \
	"TLS Web Server Authentication, TLS Web Client Authentication"
check "init: server-chain.pem holds 2 certificates" \
	eq "$(grep -c 'BEGIN CERTIFICATE' "$P/server-chain.pem")" 2
cp "$P/server.key" "$T/key.before"
run "$T/u" "$CL" cert init --dir "$P" --name sip.example
check "init again: exit status 1" status_is $? 1
check "init again: says the file exists" has "$T/u.err" "exists"
check "init again: the key is untouched" cmp -s "$P/server.key" "$T/key.before"
run "$T/u" "$CL" cert init --dir "$T/pki2" --name other.example --days 10 --force
check "init --force into a new folder: exit status 0" status_is $? 0
run "$T/u" "$CL" cert init --dir "$T/pki2" --name other.example --days 10 --force
check "init --force replaces: exit status 0" status_is $? 0
check "init --force: key still mode 600" eq "$(stat -c %a "$T/pki2/server.key")" 600

# The intermediate alone, as s_server's -cert_chain wants it.
awk '/BEGIN CERTIFICATE/ { n++ } n == 2' "$P/server-chain.pem" >"$P/inter.pem"
awk '/BEGIN CERTIFICATE/ { n++ } n == 2' "$T/pki2/server-chain.pem" >"$T/pki2/inter.pem"

# ---- cert check: a good chain with an intermediate ----
serve S1 -cert "$P/server.pem" -key "$P/server.key" -cert_chain "$P/inter.pem"
if [ -z "$S1" ]; then
	fail "s_server with the init chain starts"
else
	run "$T/c" "$CL" cert check "127.0.0.1:$S1" --servername sip.example --ca "$P/ca.pem"
	check "check --ca: exit status 0" status_is $? 0
	check "check: chain of 2 certificates" has "$T/c" "chain:      2 certificates sent"
	check "check: leaf SHA-256 equals openssl x509 -fingerprint -sha256" \
		eq "$(field "$T/c" 0 sha256)" "$(fp "$P/server.pem" sha256)"
	check "check: leaf SHA-1 equals openssl x509 -fingerprint -sha1" \
		eq "$(field "$T/c" 0 sha1)" "$(fp "$P/server.pem" sha1)"
	check "check: intermediate SHA-256 equals openssl's" \
		eq "$(field "$T/c" 1 sha256)" "$(fp "$P/inter.pem" sha256)"
	check "check: serial equals openssl x509 -serial" \
		eq "$(field "$T/c" 0 serial)" "$(openssl x509 -in "$P/server.pem" -noout -serial | sed 's/^serial=//')"
	check "check: subject equals openssl x509 -subject" \
		eq "$(field "$T/c" 0 subject)" "$(openssl x509 -in "$P/server.pem" -noout -subject | sed 's/^subject=//')"
	check "check: issuer equals openssl x509 -issuer" \
		eq "$(field "$T/c" 0 issuer)" "$(openssl x509 -in "$P/server.pem" -noout -issuer | sed 's/^issuer=//')"
	check "check: days left 364 or 365" grep -qE '^  days left:  36[45]$' "$T/c"
	check "check: verify ok" has "$T/c" "verify:     ok"
	check "check: name matches the SAN URI" has "$T/c" "sip.example matches the SAN URI"
	check "check: TLS 1.3 negotiated" has "$T/c" "tls:        TLSv1.3 TLS_"
	check "check: result ok" has "$T/c" "result:     ok"

	run "$T/c" "$CL" cert check "127.0.0.1:$S1" --servername sip.example
	check "check without --ca (system bundle): exit status 1" status_is $? 1
	check "check without --ca: unknown CA on stderr" has "$T/c.err" "unknown CA"
	check "check without --ca: chain still printed" has "$T/c" "certificate 1"

	run "$T/c" "$CL" cert check "127.0.0.1:$S1" --ca "$T/pki2/ca.pem" --servername sip.example
	check "check with another CA: exit status 1" status_is $? 1
	check "check with another CA: unknown CA" has "$T/c.err" "unknown CA"

	run "$T/c" "$CL" cert check "127.0.0.1:$S1" --ca "$P/ca.pem" --sip-domain sip.example
	check "--sip-domain sip.example: exit status 0" status_is $? 0
	run "$T/c" "$CL" cert check "127.0.0.1:$S1" --ca "$P/ca.pem" --sip-domain SIP.Example
	check "--sip-domain in other case: exit status 0" status_is $? 0
	run "$T/c" "$CL" cert check "127.0.0.1:$S1" --ca "$P/ca.pem" --sip-domain other.example
	check "--sip-domain other.example: exit status 1" status_is $? 1
	check "--sip-domain other.example: name mismatch on stderr" has "$T/c.err" "name mismatch"
	run "$T/c" "$CL" cert check "127.0.0.1:$S1" --ca "$P/ca.pem" --sip-domain example
	check "--sip-domain example (a suffix): exit status 1" status_is $? 1
	run "$T/c" "$CL" cert check "127.0.0.1:$S1" --ca "$P/ca.pem"
	check "no servername: the address matches the SAN IP" status_is $? 0
	check "no servername: says SAN IP" has "$T/c" "matches the SAN IP"
	run "$T/c" "$CL" cert check "localhost:$S1" --ca "$P/ca.pem"
	check "check localhost: name localhost mismatches" status_is $? 1

	run "$T/c" "$CL" cert check "127.0.0.1:$S1" --ca "$P/ca.pem" --servername sip.example \
		--warn-days 10000
	check "--warn-days 10000: exit status 1" status_is $? 1
	check "--warn-days 10000: says it expires within" has "$T/c.err" "within --warn-days 10000"
	run "$T/c" "$CL" cert check "127.0.0.1:$S1" --ca "$P/ca.pem" --servername sip.example \
		--warn-days 0
	check "--warn-days 0: exit status 0" status_is $? 0

	run "$T/j" "$CL" cert check "127.0.0.1:$S1" --ca "$P/ca.pem" --servername sip.example --json
	check "--json: exit status 0" status_is $? 0
	check "--json: valid JSON" python3 -m json.tool "$T/j" /dev/null
	check "--json: one line" eq "$(wc -l <"$T/j" | tr -d ' ')" 1
	check "--json: leaf sha256 and ok" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["ok"] is True and len(j["chain"]) == 2, j
assert j["chain"][0]["sha256"] == sys.argv[2], j["chain"][0]["sha256"]
assert j["verify"]["ok"] and j["name"]["matched"] == "SAN URI" and j["expiry"]["ok"]
assert j["tls_version"] == "TLSv1.3" and j["chain"][1]["ca"] is True
' "$T/j" "$(fp "$P/server.pem" sha256)"
	run "$T/j" "$CL" cert check "127.0.0.1:$S1" --sip-domain other.example --json
	check "--json failing: exit status 1" status_is $? 1
	check "--json failing: valid JSON with reasons" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["ok"] is False and j["verify"]["reason"] == "unknown CA" and j["name"]["ok"] is False, j
' "$T/j"
fi

serve S12 -cert "$P/server.pem" -key "$P/server.key" -cert_chain "$P/inter.pem" -tls1_2
if [ -n "$S12" ]; then
	run "$T/c" "$CL" cert check "127.0.0.1:$S12" --ca "$P/ca.pem" --servername sip.example
	check "TLS 1.2 server: exit status 0" status_is $? 0
	check "TLS 1.2 server: TLSv1.2 with an ECDHE AEAD cipher" grep -qE \
		'^tls: +TLSv1.2 ECDHE-ECDSA-(AES(128|256)-GCM|CHACHA20)' "$T/c"
else
	fail "s_server -tls1_2 starts"
fi

# ---- an expired leaf, signed by the init CA with openssl ca -startdate/-enddate ----
E="$T/exp"
mkdir -p "$E"
: >"$E/index.txt"
echo 1000 >"$E/serial"
cat >"$E/ca.cnf" <<EOF
[ ca ]
default_ca = cl
[ cl ]
dir = $E
database = $E/index.txt
new_certs_dir = $E
serial = $E/serial
default_md = sha256
policy = pol
unique_subject = no
[ pol ]
commonName = supplied
[ ext ]
basicConstraints = critical,CA:FALSE
subjectAltName = DNS:sip.example,URI:sip:sip.example,IP:127.0.0.1
EOF
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$E/leaf.key" \
	-subj /CN=sip.example -out "$E/leaf.csr" >"$E/log" 2>&1 &&
	openssl ca -batch -config "$E/ca.cnf" -cert "$P/ca.pem" -keyfile "$P/ca.key" \
		-in "$E/leaf.csr" -out "$E/leaf.pem" -startdate 20200101000000Z \
		-enddate 20200201000000Z -extensions ext -notext >>"$E/log" 2>&1
check "openssl ca makes an expired leaf" test -s "$E/leaf.pem"
serve S2 -cert "$E/leaf.pem" -key "$E/leaf.key"
if [ -n "$S2" ]; then
	run "$T/c" "$CL" cert check "127.0.0.1:$S2" --ca "$P/ca.pem" --servername sip.example
	check "expired leaf: exit status 1" status_is $? 1
	check "expired leaf: verification says expired" has "$T/c.err" "verification failed: expired"
	check "expired leaf: the leaf expired ... days ago" has "$T/c.err" "the leaf certificate expired"
	check "expired leaf: negative days left" grep -qE '^  days left:  -[0-9]+$' "$T/c"
	check "expired leaf: name still matches" has "$T/c" "sip.example matches the SAN URI"
else
	fail "s_server with the expired leaf starts"
fi

# ---- a TLS 1.1-only server (OpenSSL 3 needs security level 0 for TLS 1.1) ----
serve S11 -cert "$P/server.pem" -key "$P/server.key" -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0'
if [ -n "$S11" ]; then
	run "$T/c" "$CL" cert check "127.0.0.1:$S11" --ca "$P/ca.pem" --servername sip.example
	check "TLS 1.1-only server: refused, exit status 1" status_is $? 1
	check "TLS 1.1-only server: protocol version" has "$T/c.err" "protocol version"
	check "TLS 1.1-only server: no chain printed" test "$(grep -c '^certificate' "$T/c")" = 0
else
	fail "s_server -tls1_1 starts"
fi

# ---- connection failures ----
DEAD=$(free_port)
run "$T/c" "$CL" cert check "127.0.0.1:$DEAD" --timeout 5
check "nothing listening: exit status 1" status_is $? 1
check "nothing listening: connection refused" has "$T/c.err" "connection refused"
run "$T/j" "$CL" cert check "127.0.0.1:$DEAD" --json
check "nothing listening --json: valid JSON with the error" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["ok"] is False and j["error"]["stage"] == "connect", j
' "$T/j"
SILENT=$(free_port)
timeout 60 python3 -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(4); print("ACCEPT", flush=True); time.sleep(60)' \
	"$SILENT" >"$T/silent" 2>&1 &
PIDS="$PIDS $!"
i=0
while [ $i -lt 100 ] && ! grep -q ACCEPT "$T/silent"; do
	sleep 0.1
	i=$((i + 1))
done
run "$T/c" "$CL" cert check "127.0.0.1:$SILENT" --timeout 1
check "silent server, --timeout 1: exit status 1" status_is $? 1
check "silent server: handshake timed out" has "$T/c.err" "handshake failed: timed out"

# ---- cert bundle ----
run "$T/b" "$CL" cert bundle --cert "$P/server-chain.pem" --out "$T/bundle.pem"
check "bundle: exit status 0" status_is $? 0
check "bundle: writes the intermediate only" cmp -s "$T/bundle.pem" "$P/inter.pem"
check "bundle: one certificate" eq "$(grep -c 'BEGIN CERTIFICATE' "$T/bundle.pem")" 1
check "bundle: it is the intermediate (fingerprint)" \
	eq "$(fp "$T/bundle.pem" sha256)" "$(fp "$P/inter.pem" sha256)"
cat "$P/server-chain.pem" "$P/ca.pem" >"$T/full.pem"
run "$T/b" "$CL" cert bundle --cert "$T/full.pem" --out -
check "bundle of leaf+intermediate+root to stdout: exit status 0" status_is $? 0
check "bundle to stdout: intermediate then root" \
	eq "$(grep -c 'BEGIN CERTIFICATE' "$T/b")" 2
run "$T/b" "$CL" cert bundle --cert "$P/server.pem" --out "$T/b1.pem"
check "bundle of a leaf alone: exit status 1" status_is $? 1
check "bundle of a leaf alone: says so" has "$T/b.err" "only the leaf"
check "bundle of a leaf alone: writes nothing" test ! -e "$T/b1.pem"
cat "$P/server.pem" "$T/pki2/inter.pem" >"$T/broken.pem"
run "$T/b" "$CL" cert bundle --cert "$T/broken.pem" --out "$T/b2.pem"
check "bundle of a broken chain: exit status 1" status_is $? 1
check "bundle of a broken chain: says broken" has "$T/b.err" "broken chain"
cat "$P/inter.pem" "$P/server.pem" >"$T/reversed.pem"
run "$T/b" "$CL" cert bundle --cert "$T/reversed.pem" --out "$T/b2.pem"
check "bundle of a reversed chain: exit status 1" status_is $? 1
run "$T/b" "$CL" cert bundle --cert "$P/server-chain.pem" --out "$T/bundle.pem"
check "bundle over an existing file: exit status 1" status_is $? 1
run "$T/b" "$CL" cert bundle --cert "$P/server-chain.pem" --out "$T/bundle.pem" --force
check "bundle --force: exit status 0" status_is $? 0
echo "not a certificate" >"$T/junk.pem"
run "$T/b" "$CL" cert bundle --cert "$T/junk.pem" --out "$T/b3.pem"
check "bundle of junk: exit status 1" status_is $? 1

# ---- usage errors: exit 2, naming the word ----
usage() {
	n=$1
	w=$2
	shift 2
	run "$T/u" "$CL" "$@"
	rc=$?
	if [ $rc -eq 2 ] && has "$T/u.err" "$w"; then
		pass "$n"
	else
		fail "$n"
		echo "#   exit status $rc (want 2); stderr: $(head -c 200 "$T/u.err")"
	fi
}
usage "cert alone prints its usage" "usage: cipherline cert" cert
usage "unknown action is named" frob cert frob
usage "init without --name" --name cert init --dir "$T/x"
usage "init without --dir" --dir cert init --name a.example
usage "init bad --name" --name cert init --dir "$T/x" --name 'bad name'
usage "init wildcard --name" --name cert init --dir "$T/x" --name '*.example.com'
usage "init bad --ip" --ip cert init --dir "$T/x" --name a.example --ip 300.1.1.1
usage "init --ip without value" --ip cert init --dir "$T/x" --name a.example --ip
usage "init --days 0" --days cert init --dir "$T/x" --name a.example --days 0
usage "init unknown option" --bogus cert init --dir "$T/x" --name a.example --bogus
check "init usage errors write nothing" test ! -e "$T/x"
usage "check without target" HOST:PORT cert check
usage "check port 0" port cert check 127.0.0.1:0
usage "check port 70000" port cert check 127.0.0.1:70000
usage "check bare IPv6" brackets cert check ::1:5061
usage "check two targets" unexpected cert check 127.0.0.1:1 127.0.0.1:2
usage "check --warn-days x" --warn-days cert check 127.0.0.1:1 --warn-days x
usage "check --timeout 0" --timeout cert check 127.0.0.1:1 --timeout 0
usage "check --ca missing file" --ca cert check 127.0.0.1:1 --ca "$T/nonexistent.pem"
usage "check --ca junk" --ca cert check 127.0.0.1:1 --ca "$T/junk.pem"
usage "bundle without --out" --out cert bundle --cert "$P/server-chain.pem"
usage "bundle without --cert" --cert cert bundle --out "$T/b4.pem"

for a in "cert --help" "cert init --help" "cert check --help" "cert bundle --help" "help cert"; do
	# shellcheck disable=SC2086
	run "$T/h" "$CL" $a
	check "$a: exit status 0" status_is $? 0
done
run "$T/h" "$CL" cert check --help
check "cert check --help names --sip-domain" has "$T/h" --sip-domain
run "$T/h" "$CL" --help
check "cipherline --help lists cert as available" grep -qE '^  cert +check certificate chains, fingerprints and expiry$' "$T/h"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
