#!/bin/sh
# Black-box tests of `cipherline run` with real peers (issue 4 §5): sipp OPTIONS over UDP
# and TCP, over TLS through a client-mode stunnel (one connection, and one per request),
# and broken requests sent raw. Loopback only; every process is started here, bounded by
# timeout, and stopped by PID. Last line: "N passed, N failed".
set -u
BUILD=${BUILD:-build}
CL=$BUILD/cipherline
HERE=$(cd "$(dirname "$0")" && pwd)
SCEN=$HERE/../blackbox
T=$(mktemp -d)
PASS=0
FAIL=0
PIDS=""

cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	sleep 0.2
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

. "$HERE/lib/common.sh"
check_out() { # name command...: like check, and shows the output on failure
	n=$1
	shift
	if "$@" >"$T/out" 2>&1; then pass "$n"; else fail "$n"; sed 's/^/    /' "$T/out" | tail -15; fi
}

for tool in sipp stunnel4 python3 timeout; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "FAIL $tool is not installed (scripts/deps.sh installs it)"
		echo "0 passed, 1 failed"
		exit 1
	fi
done

P=$(free_port)
PT=$(free_port)
PS=$(free_port)
# IPv6 on ::1 when this machine has it (a UDP listener beside the IPv4 ones).
P6=""
LISTEN6=""
if python3 -c 'import socket; s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.bind(("::1", 0))' 2>/dev/null; then
	P6=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.bind(("::1", 0)); print(s.getsockname()[1])')
	LISTEN6=",udp:[::1]:$P6"
fi
timeout 20 "$CL" cert init --dir "$T/certs" --name sip.test --ip 127.0.0.1 >/dev/null 2>&1 ||
	fail "cert init for the edge"
"$CL" run --listen "udp:127.0.0.1:$P,tcp:127.0.0.1:$P,tls:127.0.0.1:$PT$LISTEN6" \
	--tls-cert "$T/certs/server-chain.pem" --tls-key "$T/certs/server.key" 2>"$T/edge.log" &
EDGE=$!
PIDS="$PIDS $EDGE"
wait_port "$P" && wait_port "$PT" || fail "edge listens"

sipp_run() { # transport scenario target extra...
	tr=$1
	sc=$2
	tg=$3
	shift 3
	timeout 60 sipp -sf "$SCEN/$sc" "$tg" -t "$tr" -nostdin -timeout 20 -timeout_error \
		-max_recv_loops 1000 -max_socket 1000 "$@" >"$T/sipp.out" 2>&1
}

check_out "sipp OPTIONS over UDP (50 requests, 200 OK each)" sipp_run u1 options.xml "127.0.0.1:$P" -m 50 -r 100
check_out "sipp OPTIONS over TCP, one connection (50)" sipp_run t1 options.xml "127.0.0.1:$P" -m 50 -r 100
check_out "sipp OPTIONS over TCP, a connection per request (20)" sipp_run tn options.xml "127.0.0.1:$P" -m 20 -r 50

# TLS through stunnel: sipp has no TLS in Debian (PEERS.md).
cat >"$T/stunnel.conf" <<CONF
foreground = yes
pid =
[sip]
client = yes
accept = 127.0.0.1:$PS
connect = 127.0.0.1:$PT
CAfile = $T/certs/ca.pem
verifyChain = yes
checkHost = sip.test
sni = sip.test
CONF
stunnel4 "$T/stunnel.conf" >"$T/stunnel.log" 2>&1 &
PIDS="$PIDS $!"
wait_port "$PS" || fail "stunnel listens"
check_out "sipp OPTIONS over TLS via stunnel, one connection (50)" sipp_run t1 options_tls.xml "127.0.0.1:$PS" -m 50 -r 100
check_out "sipp OPTIONS over TLS via stunnel, a connection per request (20)" sipp_run tn options_tls.xml "127.0.0.1:$PS" -m 20 -r 20

# Raw requests: send one, print the first response line.
raw() { # proto request-file
	timeout 10 python3 - "$1" "$P" "$2" <<'PY'
import socket, sys
proto, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
msg = open(path, 'rb').read()
if proto == 'udp':
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(3)
    s.sendto(msg, ('127.0.0.1', port)); data = s.recv(65535)
else:
    s = socket.create_connection(('127.0.0.1', port), 3); s.settimeout(3)
    s.sendall(msg)
    try:
        data = s.recv(65535)
    except socket.timeout:
        data = b'TIMEOUT'
print(data.split(b'\r\n')[0].decode(errors='replace') if data else 'CLOSED')
PY
}

req() { # file method extra-header-lines (use \r\n); branch and Call-ID come from file
	printf '%s sip:sip.test SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK%s;rport\r\n%bFrom: <sip:a@sip.test>;tag=1\r\nTo: <sip:b@sip.test>\r\nCall-ID: %s@test\r\nCSeq: 1 %s\r\nContent-Length: 0\r\n\r\n' \
		"$2" "$(basename "$1")$$" "$3" "$(basename "$1")$$" "$2" >"$1"
}

expect() { # name proto file want
	got=$(raw "$2" "$3")
	case "$got" in
	$4*) pass "$1 ($got)" ;;
	*) fail "$1: got '$got', want '$4'" ;;
	esac
}

req "$T/bad_cseq" OPTIONS 'Max-Forwards: 70\r\n'
sed -i 's/CSeq: 1 OPTIONS/CSeq: one OPTIONS/' "$T/bad_cseq"
expect "a broken CSeq gets 400 naming it" udp "$T/bad_cseq" "SIP/2.0 400 Bad CSeq"
req "$T/bad_mf" OPTIONS 'Max-Forwards: seventy\r\n'
expect "a broken Max-Forwards gets 400" udp "$T/bad_mf" "SIP/2.0 400"
req "$T/no_from" OPTIONS 'Max-Forwards: 70\r\n'
sed -i '/^From:/d' "$T/no_from"
expect "a missing From gets 400 naming it" udp "$T/no_from" "SIP/2.0 400 Missing From"
req "$T/mf0" INVITE 'Max-Forwards: 0\r\n'
expect "Max-Forwards 0 gets 483" udp "$T/mf0" "SIP/2.0 483"
req "$T/unknown" FOO 'Max-Forwards: 70\r\n'
expect "an unknown method gets 501" udp "$T/unknown" "SIP/2.0 501"
req "$T/require" OPTIONS 'Max-Forwards: 70\r\nRequire: 100rel\r\n'
expect "an unsupported Require gets 420" udp "$T/require" "SIP/2.0 420"
req "$T/invite" INVITE 'Max-Forwards: 70\r\n'
expect "INVITE without a registrar gets 404" udp "$T/invite" "SIP/2.0 404"
req "$T/tcp_ok" OPTIONS 'Max-Forwards: 70\r\n'
sed -i 's|SIP/2.0/UDP|SIP/2.0/TCP|' "$T/tcp_ok"
expect "OPTIONS over raw TCP" tcp "$T/tcp_ok" "SIP/2.0 200"
printf 'this is not SIP\r\n\r\n' >"$T/garbage"
expect "garbage on a stream closes it" tcp "$T/garbage" "CLOSED"
if [ -n "$P6" ]; then
	got=$(timeout 10 python3 - "$P6" "$T/tcp_ok" <<'PY'
import socket, sys
msg = open(sys.argv[2], 'rb').read().replace(b'SIP/2.0/TCP 127.0.0.1:9', b'SIP/2.0/UDP [::1]:9')
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.settimeout(3)
s.sendto(msg.replace(b'z9hG4bKtcp_ok', b'z9hG4bKv6'), ('::1', int(sys.argv[1])))
print(s.recv(65535).split(b'\r\n')[0].decode())
PY
)
	case "$got" in
	"SIP/2.0 200"*) pass "OPTIONS over UDP on [::1] ($got)" ;;
	*) fail "OPTIONS over UDP on [::1]: got '$got'" ;;
	esac
else
	echo "skip IPv6: ::1 is not available on this machine"
fi
printf '\r\n\r\n' >"$T/ping"
got=$(timeout 10 python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 3); s.settimeout(3)
s.sendall(b"\r\n\r\n"); print(repr(s.recv(16)))' "$P")
if [ "$got" = "b'\\r\\n'" ]; then pass "CRLFCRLF keepalive answered with CRLF (RFC 5626)"; else fail "keepalive: got $got"; fi

# SIGHUP reload: a TLS connection opened before keeps working; new handshakes get the new
# certificate (issue 4 §2).
timeout 20 "$CL" cert init --dir "$T/certs2" --name sip.test --ip 127.0.0.1 >/dev/null 2>&1
timeout 30 python3 - "$PT" "$T/certs/ca.pem" "$T/certs2" "$T/certs" "$EDGE" >"$T/reload.out" 2>&1 <<'PY'
import os, shutil, signal, socket, ssl, sys, time
port, ca_old, new, cur, edge = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
def opts(n):
    return ("OPTIONS sip:sip.test SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:9;branch=z9hG4bKrl%d\r\n"
            "Max-Forwards: 70\r\nFrom: <sip:a@sip.test>;tag=1\r\nTo: <sip:sip.test>\r\n"
            "Call-ID: rl%d\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n" % (n, n)).encode()
def connect(ca):
    ctx = ssl.create_default_context(cafile=ca)
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), 5), server_hostname="sip.test")
    s.settimeout(5)
    return s
old = connect(ca_old)
old.sendall(opts(1)); assert old.recv(4096).startswith(b"SIP/2.0 200"), "before reload"
for f in ("server-chain.pem", "server.key"):
    shutil.copy(os.path.join(new, f), os.path.join(cur, f))
os.kill(edge, signal.SIGHUP)
time.sleep(0.5)
old.sendall(opts(2)); assert old.recv(4096).startswith(b"SIP/2.0 200"), "old connection after reload"
fresh = connect(os.path.join(new, "ca.pem"))
fresh.sendall(opts(3)); assert fresh.recv(4096).startswith(b"SIP/2.0 200"), "new certificate"
try:
    connect(ca_old); print("FAIL: the old CA still verifies a new handshake"); sys.exit(1)
except ssl.SSLError:
    pass
print("reload ok")
PY
if grep -q "reload ok" "$T/reload.out"; then
	pass "SIGHUP reloads the certificate; an open TLS connection keeps working"
else
	fail "SIGHUP reload"
	sed 's/^/    /' "$T/reload.out" | tail -8
fi

if kill -0 "$EDGE" 2>/dev/null; then pass "the edge is still running"; else fail "the edge died"; fi
kill "$EDGE" 2>/dev/null
timeout 5 sh -c "while kill -0 $EDGE 2>/dev/null; do sleep 0.1; done" && pass "SIGTERM stops the edge" || fail "SIGTERM did not stop the edge"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
