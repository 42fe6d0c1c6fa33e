#!/bin/sh
# `cipherline check-config` and `cipherline run -c` (issue 5 §1): the default file is
# valid, broken files exit 1 naming FILE:LINE: KEY, usage errors exit 2, and an edge
# started from a config file on free loopback ports answers OPTIONS over UDP, then stops
# on SIGTERM. Every check prints "ok   NAME" or "FAIL NAME"; the last line is
# "N passed, N failed"; the exit status is 1 when anything failed.
#
#   BUILD=build sh tests/cli/config_tool.sh
set -u
BUILD=${BUILD:-build}
CL="$BUILD/cipherline"
if [ ! -x "$CL" ]; then
	echo "FAIL $CL is built (make BUILD=$BUILD)"
	echo "0 passed, 1 failed"
	exit 1
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/config_tool.XXXXXX") || exit 1
PASS=0
FAIL=0
EDGE=""
cleanup() {
	[ -n "$EDGE" ] && kill "$EDGE" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

. "$(dirname "$0")/lib/common.sh"

# cc WANT_RC NAME FILE...: check-config exits WANT_RC; output in $T/out and $T/err.
cc() {
	want=$1
	name=$2
	shift 2
	timeout 10 "$CL" check-config "$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		pass "$name (exit $rc)"
	else
		fail "$name: exit $rc, want $want"
		sed 's/^/    /' "$T/out" "$T/err" | head -10
	fi
}

# err_line NAME TEXT: the last check-config's stderr holds the line TEXT.
err_line() {
	if grep -qxF "$2" "$T/err"; then pass "$1"; else fail "$1: no line '$2'"; sed 's/^/    /' "$T/err" | head -10; fi
}

cc 0 "the default etc/cipherline.yaml is valid" etc/cipherline.yaml
if grep -qxF "etc/cipherline.yaml: ok: 3 listeners, 3 connections, 2 numbers" "$T/out"; then
	pass "summary line counts listeners, connections and numbers"
else
	fail "summary line: $(cat "$T/out")"
fi

cat >"$T/bad.yaml" <<'EOF'
domain: sip.test
listen:
  - { transport: udp, address: 127.0.0.1 }
connections:
  - name: a
    type: ip
    addresses: [10.0.0.0/8]
    inbound: { transport: tcx }
  - name: a
    type: credentials
    username: a
colour: blue
numbers:
  - { number: "+1", connection: nobody }
EOF
cc 1 "a broken file is refused" "$T/bad.yaml"
err_line "bad transport names file:line:key" "$T/bad.yaml:8: connections[0].inbound.transport: 'tcx' is not udp, tcp or tls"
err_line "duplicate connection name" "$T/bad.yaml:9: connections[1].name: 'a' is already the name of another connection"
err_line "missing password or ha1" "$T/bad.yaml:9: connections[1]: type credentials needs password or ha1"
err_line "unknown key" "$T/bad.yaml:12: colour: unknown key"
err_line "number naming an unknown connection" "$T/bad.yaml:14: numbers[0].connection: no connection is called 'nobody'"
if [ "$(wc -l <"$T/err")" -eq 5 ]; then pass "every error is printed (5)"; else fail "errors printed: $(wc -l <"$T/err")"; fi

printf 'domain: sip.test\nlisten:\n  - { transport: udp, address: 127.0.0.1 }\nconnections:\n  - name: s\n    type: credentials\n    username: s\n    password: hunter2-secret\n    port: 5\n' >"$T/secret.yaml"
cc 1 "a credentials connection with a port is refused" "$T/secret.yaml"
if grep -q hunter2 "$T/err" "$T/out"; then fail "the password reached the output"; else pass "the password is not printed"; fi

printf 'domain: sip.test\nlisten: [\n' >"$T/syntax.yaml"
cc 1 "a YAML syntax error is refused" "$T/syntax.yaml"
if grep -q "^$T/syntax.yaml:[0-9]*: YAML: " "$T/err"; then pass "syntax error names file and line"; else fail "syntax error: $(cat "$T/err")"; fi

cc 1 "a missing file" "$T/none.yaml"
err_line "missing file is named" "$T/none.yaml: cannot open: No such file or directory"
cc 2 "no FILE is a usage error"
cc 2 "two FILEs are a usage error" etc/cipherline.yaml etc/cipherline.yaml
cc 2 "an unknown option is a usage error" --frob etc/cipherline.yaml
cc 0 "--help" --help

# run -c: a config on free loopback ports.
timeout 10 "$CL" run -c "$T/bad.yaml" >/dev/null 2>"$T/err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q "unknown key" "$T/err"; then pass "run -c refuses a broken file (exit 1)"; else fail "run -c broken: exit $rc"; fi
timeout 10 "$CL" run -c etc/cipherline.yaml --listen udp:127.0.0.1:1 >/dev/null 2>&1
rc=$?
if [ "$rc" -eq 2 ]; then pass "run -c with --listen is a usage error"; else fail "run -c with --listen: exit $rc"; fi

if ! command -v python3 >/dev/null 2>&1; then
	fail "python3 is not installed (scripts/deps.sh installs it)"
else
	P=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	PT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	PS=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	timeout 20 "$CL" cert init --dir "$T/certs" --name sip.test --ip 127.0.0.1 >/dev/null 2>&1 ||
		fail "cert init for the edge"
	cat >"$T/edge.yaml" <<EOF
domain: sip.test
listen:
  - { transport: udp, address: 127.0.0.1, port: $P }
  - { transport: tcp, address: 127.0.0.1, port: $PT }
  - { transport: tls, address: 127.0.0.1, port: $PS }
tls:
  certificate: $T/certs/server-chain.pem
  private_key: $T/certs/server.key
  ca_file: $T/certs/ca.pem
connections:
  - { name: pbx, type: ip, addresses: ["127.0.0.1:5080"] }
numbers:
  - { prefix: "+1", connection: pbx }
EOF
	timeout 60 "$CL" run -c "$T/edge.yaml" 2>"$T/edge.log" &
	EDGE=$!
	got=$(timeout 10 python3 - "$P" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
msg = (b"OPTIONS sip:sip.test SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKcfg1;rport\r\n"
       b"Max-Forwards: 70\r\nFrom: <sip:a@sip.test>;tag=1\r\nTo: <sip:sip.test>\r\n"
       b"Call-ID: cfg1@test\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.3)
for _ in range(20):  # the edge may still be starting: retransmit, as UDP SIP does
    s.sendto(msg, ("127.0.0.1", port))
    try:
        print(s.recv(65535).split(b"\r\n")[0].decode(errors="replace")); break
    except socket.timeout:
        time.sleep(0.1)
else:
    print("NO ANSWER")
PY
)
	case "$got" in
	"SIP/2.0 200"*) pass "run -c answers OPTIONS over UDP ($got)" ;;
	*) fail "run -c OPTIONS: got '$got'"; sed 's/^/    /' "$T/edge.log" | tail -8 ;;
	esac
	if grep -q "listening on TCP 127.0.0.1:$PT" "$T/edge.log"; then pass "run -c listens on the file's TCP port"; else fail "no TCP listener from the file"; fi
	got=$(timeout 10 python3 - "$PS" "$T/certs/ca.pem" <<'PY'
import socket, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[2])
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1])), 3), server_hostname="sip.test")
s.settimeout(3)
s.sendall(b"OPTIONS sip:sip.test SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:9;branch=z9hG4bKcfg2\r\n"
          b"Max-Forwards: 70\r\nFrom: <sip:a@sip.test>;tag=1\r\nTo: <sip:sip.test>\r\n"
          b"Call-ID: cfg2@test\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
print(s.recv(65535).split(b"\r\n")[0].decode(errors="replace"))
PY
)
	case "$got" in
	"SIP/2.0 200"*) pass "run -c serves the file's TLS certificate ($got)" ;;
	*) fail "run -c OPTIONS over TLS: got '$got'"; sed 's/^/    /' "$T/edge.log" | tail -8 ;;
	esac
	kill "$EDGE" 2>/dev/null
	if timeout 5 sh -c "while kill -0 $EDGE 2>/dev/null; do sleep 0.1; done"; then
		pass "SIGTERM stops the edge"
		EDGE=""
	else
		fail "SIGTERM did not stop the edge"
	fi
fi

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
