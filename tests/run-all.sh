#!/bin/sh
# Runs every test suite for each build folder given (normal, ASan+UBSan, ...):
# the C runner, the allocation counter, and the shell tests in tests/cli/.
# Each prints "N passed, N failed" last; this sums them and prints the total last.
# Exits non-zero when anything failed or a suite did not report.
set -u
total_p=0
total_f=0
summary=""

run_suite() { # label command...
	label=$1
	shift
	out=$(mktemp)
	echo "== $label"
	"$@" 2>&1 | tee "$out"
	last=$(tail -n 1 "$out")
	rm -f "$out"
	p=$(echo "$last" | sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1/p')
	f=$(echo "$last" | sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2/p')
	if [ -z "$p" ]; then
		echo "!! $label did not report a result"
		p=0
		f=1
	fi
	total_p=$((total_p + p))
	total_f=$((total_f + f))
	summary="$summary
  $label: $p passed, $f failed"
}

for b in "$@"; do
	run_suite "$b/tests/run" "$b/tests/run"
	if [ -x "$b/tests/noalloc" ]; then
		run_suite "$b/tests/noalloc" "$b/tests/noalloc"
	fi
	for s in tests/cli/*.sh; do
		[ -f "$s" ] || continue
		run_suite "$s ($b)" env BUILD="$b" sh "$s"
	done
done
echo "== summary$summary"
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
