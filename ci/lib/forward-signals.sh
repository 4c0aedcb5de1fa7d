# Sourced by ci/ scripts that wait on long-running children (suite runs,
# builds). A signal that stops the script must stop the child too: bash
# defers traps while a foreground child runs, and a child started by a
# script shares no terminal process group with the signal's sender when
# the script itself was signalled by pid (kill, pkill, CI timeouts).
#
#   run_forwarding CMD ARGS...   runs CMD in the background and waits for
#                                it; INT/TERM are passed on to it (then to
#                                the script's cleanup), and its exit status
#                                is returned.
# The caller's own INT/TERM trap should call forward_stop first.
forwarded_child=
forward_stop()
{
	if [ -n "$forwarded_child" ]; then
		kill -TERM "$forwarded_child" 2>/dev/null || true
		wait "$forwarded_child" 2>/dev/null || true
		forwarded_child=
	fi
}

run_forwarding()
{
	local rc=0
	"$@" &
	forwarded_child=$!
	wait "$forwarded_child" || rc=$?
	forwarded_child=
	return "$rc"
}
