# Helpers shared by the shell suites in tests/cli/ and the shell benchmarks in bench/.
# Source it after setting PASS=0 FAIL=0. POSIX sh.

pass() { PASS=$((PASS + 1)); echo "ok   $1"; }
fail() { FAIL=$((FAIL + 1)); echo "FAIL $1"; }
# check NAME COMMAND...: the check passes when COMMAND succeeds.
check() {
	c_name=$1
	shift
	if "$@"; then pass "$c_name"; else fail "$c_name"; fi
}

has() { grep -qF -- "$2" "$1"; }
hasnt() { ! grep -qF -- "$2" "$1"; }
# status_is GOT WANT: equal exit statuses, else a note of both.
status_is() {
	[ "$1" = "$2" ] && return 0
	echo "#   exit status $1, want $2"
	return 1
}

# free_port: a TCP port on 127.0.0.1 nobody listens on right now.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_port PORT: until something accepts TCP on 127.0.0.1:PORT (10 s at most).
wait_port() {
	timeout 10 python3 -c '
import socket, sys, time
while True:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close(); break
    except OSError:
        time.sleep(0.05)' "$1"
}
