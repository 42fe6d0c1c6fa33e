#!/bin/sh
# OPTIONS per second over TLS: cipherline against kamailio 5.6 (one TLS worker, as
# ../shared/PEERS.md requires), each behind an identical client-mode stunnel, driven by the
# same sipp in the same run (issue 4 §6). Figures, not a test: exits 0 unless a tool is
# missing or a server does not start. Usage: bench/options_tls.sh [BUILD_DIR]
set -u
BUILD=${1:-build}
CL=$BUILD/cipherline
HERE=$(cd "$(dirname "$0")" && pwd)
SCEN=$HERE/../tests/blackbox
N_PERSIST=${N_PERSIST:-20000}   # requests on one connection
N_NEWCONN=${N_NEWCONN:-1500}    # requests with a new connection (and handshake) each
T=$(mktemp -d)
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	sleep 0.3
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

for tool in sipp stunnel4 kamailio python3; do
	command -v $tool >/dev/null 2>&1 || { echo "options_tls: $tool is not installed"; exit 1; }
done
. "$HERE/../tests/cli/lib/common.sh"

"$CL" cert init --dir "$T/c" --name sip.test --ip 127.0.0.1 >/dev/null 2>&1 || exit 1
CLP=$(free_port); KAP=$(free_port); SCL=$(free_port); SKA=$(free_port)

# Servers on CPU 0, the harness (stunnel, sipp) on CPU 1, when there are two CPUs: the
# harness then cannot take the server's core (PIN=1 turns this on).
if [ "${PIN:-0}" = 1 ] && [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null 2>&1; then
	SRV="taskset -c 0"
	HAR="taskset -c 1"
else
	SRV=""
	HAR=""
fi
$SRV "$CL" run --listen "tls:127.0.0.1:$CLP" --tls-cert "$T/c/server-chain.pem" \
	--tls-key "$T/c/server.key" 2>"$T/cl.log" &
CLPID=$!
PIDS="$PIDS $CLPID"

cat >"$T/tls.cfg" <<CFG
[server:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
private_key = $T/c/server.key
certificate = $T/c/server-chain.pem
CFG
cat >"$T/k.cfg" <<CFG
#!KAMAILIO
debug=0
log_stderror=yes
children=1
tcp_children=1
listen=tls:127.0.0.1:$KAP
enable_tls=yes
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
loadmodule "tls.so"
loadmodule "sl.so"
modparam("tls", "config", "$T/tls.cfg")
request_route {
	if (method == "OPTIONS") { sl_send_reply("200", "OK"); exit; }
	sl_send_reply("404", "Not Found");
}
CFG
mkdir -p "$T/krun"
$SRV kamailio -DD -E -f "$T/k.cfg" -Y "$T/krun" -m 1024 -M 16 >"$T/k.log" 2>&1 &
PIDS="$PIDS $!"

for pair in "$SCL:$CLP" "$SKA:$KAP"; do
	cat >"$T/s${pair%%:*}.conf" <<CONF
foreground = yes
pid =
[sip]
client = yes
accept = 127.0.0.1:${pair%%:*}
connect = 127.0.0.1:${pair##*:}
CAfile = $T/c/ca.pem
verifyChain = yes
checkHost = sip.test
CONF
	$HAR stunnel4 "$T/s${pair%%:*}.conf" >"$T/s${pair%%:*}.log" 2>&1 &
	PIDS="$PIDS $!"
done
for p in $CLP $KAP $SCL $SKA; do wait_port "$p" || { echo "options_tls: port $p never opened"; cat "$T/k.log" | tail -5; exit 1; }; done

# cpu_ns PID...: nanoseconds on CPU so far, summed over every thread of every PID.
cpu_ns() {
	python3 -c '
import glob, sys
t = 0
for pid in sys.argv[1:]:
    for f in glob.glob("/proc/%s/task/*/schedstat" % pid):
        try: t += int(open(f).read().split()[0])
        except (OSError, ValueError): pass
print(t)' "$@"
}

# rate MODE N PORT PIDS: prints "requests/s server-CPU-us/request" (0 0 when sipp failed).
rate() {
	c0=$(cpu_ns $4)
	t0=$(python3 -c 'import time; print(time.time())')
	timeout 300 $HAR sipp -sf "$SCEN/options_tls.xml" "127.0.0.1:$3" -t "$1" -m "$2" -r 100000 -l 200 \
		-nostdin -timeout 120 -timeout_error -max_socket 2000 -max_recv_loops 1000 \
		>"$T/sipp.log" 2>&1
	rc=$?
	c1=$(cpu_ns $4)
	python3 -c '
import sys, time
rc, n, t0, c0, c1 = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print("0 0" if rc else "%d %.1f" % (round(n / (time.time() - t0)), (c1 - c0) / 1e3 / n))' "$rc" "$2" "$t0" "$c0" "$c1"
}

med() { printf '%s\n' "$@" | sort -n | sed -n 2p; }

KPIDS=$(pgrep -f "$T/k.cfg" | tr '\n' ' ')
echo "cipherline vs kamailio: SIP OPTIONS over TLS (sipp -> client stunnel -> server)"
echo "machine:  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; kamailio $(kamailio -v 2>/dev/null | head -1 | awk '{print $3}') with tcp_children=1"
[ -n "$SRV" ] && echo "pinning:  servers on CPU 0, sipp and stunnel on CPU 1 "
echo "CPU us/r: the server's own CPU time per request, all its processes and threads (/proc schedstat)"
printf '%-28s %10s %10s %12s %12s %8s %8s\n' "mode (median of 3)" "cl req/s" "kam req/s" "cl CPU us/r" "kam CPU us/r" "rate x" "CPU x"
for mode in "persistent connection:t1:$N_PERSIST" "new connection per request:tn:$N_NEWCONN"; do
	name=${mode%%:*}
	rest=${mode#*:}
	tr=${rest%%:*}
	n=${rest#*:}
	cr=""; cc=""; kr=""; kc=""
	for i in 1 2 3; do # interleaved: cipherline, kamailio, three times
		set -- $(rate "$tr" "$n" "$SCL" "$CLPID"); cr="$cr $1"; cc="$cc $2"
		set -- $(rate "$tr" "$n" "$SKA" "$KPIDS"); kr="$kr $1"; kc="$kc $2"
	done
	c=$(med $cr); k=$(med $kr); cu=$(med $cc); ku=$(med $kc)
	python3 -c '
import sys
name, c, k, cu, ku = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
print("%-28s %10d %10d %12.1f %12.1f %8s %8s" % (name, c, k, cu, ku,
      "%.2f" % (c / k) if k else "n/a", "%.2f" % (ku / cu) if cu else "n/a"))' "$name" "$c" "$k" "$cu" "$ku"
done
echo "rate x = cipherline/kamailio requests per second; CPU x = kamailio/cipherline CPU per request"
echo "target (issue 4): >= 1.5x kamailio on both modes"
