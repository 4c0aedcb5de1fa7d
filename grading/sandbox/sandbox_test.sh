#! /usr/bin/env atf-sh
# grading/sandbox/run contains untrusted builds: each case runs the real
# sandbox and asserts the outcome, the exit status, the last stderr line and
# that no process of the run is left. @ROOT@ and @B@ are filled in by
# grading/sandbox/build.mk.
# shellcheck disable=SC2015  # "a && b || atf_fail" is the intended check
ROOT='@ROOT@'
RUN="$ROOT/grading/sandbox/run"

# A number that names this test's processes: sandboxed commands carry it in
# their arguments so that leftovers can be found with ps.
TOKEN="$$$RANDOM"

# sandbox [options...] -- cmd...: runs the sandbox with WORKDIR $PWD/w,
# stderr in ./err, the status in $rc and the run time (s) in $took.
sandbox() {
	mkdir -p w
	local start=$SECONDS
	rc=0
	"$RUN" "$@" 2>err || rc=$?
	took=$((SECONDS - start))
}

expect_status() {        # wanted: checks $rc, quoting stderr and the log
	[ "$rc" -eq "$1" ] ||
		atf_fail "exit status $rc, wanted $1; stderr: $(tail -3 err | tr '\n' '|') log: $(tail -c 300 sandbox.log 2>/dev/null | tr '\n' '|')"
}

expect_last_line() {     # exact last line of stderr
	local last
	last=$(tail -n 1 err)
	[ "$last" = "$1" ] || atf_fail "last stderr line is '$last', wanted '$1'"
}

# Nothing of this run may survive: no live process carrying the token. The
# sandbox's pid 1 may linger a moment as a zombie until init reaps it.
expect_nothing_left() {
	local left
	sleep 0.3
	left=$(ps -eo stat=,pid=,args= | awk -v t="$TOKEN" 'index($0, t) && $1 !~ /^Z/ && !/awk/') || true
	[ -z "$left" ] || atf_fail "processes left running: $(echo "$left" | tr '\n' '|')"
}

atf_test_case builds_c_program
builds_c_program_head()
{
	atf_set "descr" "make + gcc build and run a C program inside; the results are the caller's afterwards"
	atf_set "timeout" "60"
}
builds_c_program_body()
{
	mkdir -p w
	printf '#include <stdio.h>\nint main(void) { puts("hello from the sandbox"); return 0; }\n' >w/hello.c
	printf 'hello: hello.c\n\tcc -O2 -o $@ hello.c\n\tobjcopy --only-keep-debug $@ hello.dbg\n' >w/Makefile
	sandbox --time 60 --dir "$PWD/w" -- sh -c 'make && ./hello' "$TOKEN"
	expect_status 0
	grep -qx 'hello from the sandbox' sandbox.log || atf_fail "the program did not run: $(cat sandbox.log)"
	[ -x w/hello ] && [ -f w/hello.dbg ] || atf_fail "build outputs missing from WORKDIR"
	[ "$(stat -c %u w/hello)" = "$(id -u)" ] || atf_fail "w/hello is not handed back to uid $(id -u)"
	[ ! -s err ] || atf_fail "unexpected stderr: $(cat err)"
	expect_nothing_left
}

atf_test_case host_files_hidden
host_files_hidden_head()
{
	atf_set "descr" "the grader's tree, /root, /home, the host's /tmp and WORKDIR's neighbours are invisible"
	atf_set "timeout" "30"
}
host_files_hidden_body()
{
	echo secret >neighbour.txt              # next to WORKDIR, like another submission
	host_tmp=$(mktemp /tmp/hvspec-sandbox-test.XXXXXX)
	mkdir -p w && echo mine >w/own.txt
	# shellcheck disable=SC2016  # runs inside the sandbox
	sandbox --dir "$PWD/w" -- sh -c '
		for p in "$@"; do [ -e "$p" ] && echo "SEEN $p"; done
		for f in /work/main/README.md /root/.bashrc ../neighbour.txt; do
			cat "$f" >/dev/null 2>&1 && echo "READ $f"
		done
		cat own.txt' "$TOKEN" "$ROOT" "$ROOT/README.md" /work /work/main /root /home \
		"$PWD/neighbour.txt" "$host_tmp" /etc/shadow /etc/hostname /sys /var
	rm -f "$host_tmp"
	expect_status 0
	! grep -E '^(SEEN|READ)' sandbox.log || atf_fail "host files visible inside: $(grep -E '^(SEEN|READ)' sandbox.log | tr '\n' '|')"
	grep -qx mine sandbox.log || atf_fail "WORKDIR's own file was not readable: $(cat sandbox.log)"
	expect_nothing_left
}

atf_test_case writes_outside_fail
writes_outside_fail_head()
{
	atf_set "descr" "writing anywhere but WORKDIR fails or stays in the sandbox's private /tmp"
	atf_set "timeout" "30"
}
writes_outside_fail_body()
{
	name="hvspec-escape-$TOKEN"
	# shellcheck disable=SC2016  # runs inside the sandbox
	sandbox --dir "$PWD/w" -- sh -c '
		for p in /usr/$1 /etc/$1 /$1 /dev/$1 /bin/$1; do
			(echo x >"$p") 2>/dev/null && echo "WROTE $p"
		done
		(echo x >../$1) 2>/dev/null
		echo x >/tmp/$1 && echo private-ok
		echo x >inside && echo inside-ok' "$TOKEN" "$name"
	expect_status 0
	! grep '^WROTE' sandbox.log || atf_fail "writes outside WORKDIR succeeded: $(grep '^WROTE' sandbox.log | tr '\n' '|')"
	grep -qx private-ok sandbox.log && grep -qx inside-ok sandbox.log ||
		atf_fail "control writes failed: $(cat sandbox.log)"
	for host_path in "/usr/$name" "/etc/$name" "/$name" "$PWD/$name" "/tmp/$name"; do
		[ ! -e "$host_path" ] || { rm -f "$host_path"; atf_fail "the sandbox wrote $host_path on the host"; }
	done
	[ -f w/inside ] || atf_fail "w/inside is missing"
	expect_nothing_left
}

atf_test_case network_blocked
network_blocked_head()
{
	atf_set "descr" "no TCP socket, even to a listener on the host's 127.0.0.1; only AF_UNIX sockets open"
	atf_set "require.progs" "gcc"
	atf_set "timeout" "40"
}
network_blocked_body()
{
	cat >listen.c <<'EOF'
/* Listens on 127.0.0.1 (any port), prints the port, answers one connection. */
#include <arpa/inet.h>
#include <stdio.h>
#include <unistd.h>
int main(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t n = sizeof a;
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&a, n) || listen(s, 4) ||
	    getsockname(s, (struct sockaddr *)&a, &n))
		return perror("listener"), 1;
	printf("%d\n", ntohs(a.sin_port));
	fflush(stdout);
	alarm(20);
	for (;;) {
		int c = accept(s, NULL, NULL);
		if (c >= 0) { (void)!write(c, "hello\n", 6); close(c); }
	}
}
EOF
	gcc -o listen listen.c || atf_fail "cannot build the test listener"
	./listen >port &
	listener=$!
	for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s port ] && break; sleep 0.1; done
	port=$(cat port)
	[ -n "$port" ] || { kill "$listener"; atf_fail "the listener did not start"; }
	# Control: the listener answers from the host.
	if ! reply=$(timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && head -1 <&3"); then
		kill "$listener"; atf_fail "control connection from the host failed"
	fi
	# shellcheck disable=SC2016  # runs inside the sandbox
	sandbox --time 20 --dir "$PWD/w" -- bash -c '
		(exec 3<>"/dev/tcp/127.0.0.1/$1") && echo "CONNECTED loopback"
		(exec 3<>/dev/tcp/1.1.1.1/80) && echo "CONNECTED internet"
		echo done' "$TOKEN" "$port"
	kill "$listener"; wait "$listener" 2>/dev/null
	[ "$reply" = hello ] || atf_fail "control reply was '$reply'"
	expect_status 0
	! grep '^CONNECTED' sandbox.log || atf_fail "network reachable: $(grep '^CONNECTED' sandbox.log | tr '\n' '|')"
	[ "$(grep -c 'socket: Permission denied' sandbox.log)" -eq 2 ] ||
		atf_fail "socket() was not refused: $(cat sandbox.log)"
	# Only AF_UNIX sockets can be created, by 64-bit code at least.
	mkdir -p w
	cat >w/families.c <<'EOF'
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/socket.h>
int main(void)
{
	static const struct { const char *name; int family; } f[] = {
		{ "unix", AF_UNIX }, { "inet", AF_INET }, { "inet6", AF_INET6 },
		{ "netlink", AF_NETLINK }, { "packet", AF_PACKET },
	};
	for (unsigned i = 0; i < sizeof f / sizeof f[0]; i++) {
		int s = socket(f[i].family, SOCK_DGRAM, 0);
		printf("%s %s\n", f[i].name, s >= 0 ? "ok" : strerror(errno));
	}
	return 0;
}
EOF
	sandbox --dir "$PWD/w" -- sh -c 'cc -o families families.c && ./families' "$TOKEN"
	expect_status 0
	printf 'unix ok\ninet Permission denied\ninet6 Permission denied\nnetlink Permission denied\npacket Permission denied\n' >want
	diff want sandbox.log >/dev/null || atf_fail "socket families: $(tr '\n' '|' <sandbox.log)"
	expect_nothing_left
}

atf_test_case fork_bomb
fork_bomb_head()
{
	atf_set "descr" "a fork bomb hits the process limit (exit 123), nothing survives, the next run works"
	atf_set "timeout" "60"
}
fork_bomb_body()
{
	sandbox --procs 20 --time 30 --dir "$PWD/w" -- bash -c 'bomb() { bomb | bomb & }; bomb; sleep 100' "$TOKEN"
	expect_status 123
	expect_last_line "sandbox: process limit of 20 reached"
	[ "$took" -lt 20 ] || atf_fail "the limit took $took s to act"
	expect_nothing_left
	sandbox --dir "$PWD/w" -- sh -c 'echo next run ok' "$TOKEN"
	expect_status 0
	grep -qx 'next run ok' sandbox.log || atf_fail "the next run failed: $(cat sandbox.log)"
}

atf_test_case endless_loop
endless_loop_head()
{
	atf_set "descr" "an endless loop that ignores SIGTERM hits the time limit (exit 124)"
	atf_set "timeout" "30"
}
endless_loop_body()
{
	sandbox --time 2 --dir "$PWD/w" -- sh -c "trap '' TERM; sleep 1000.$TOKEN & while :; do :; done" "$TOKEN"
	expect_status 124
	expect_last_line "sandbox: time limit of 2 s reached"
	[ "$took" -ge 2 ] && [ "$took" -lt 10 ] || atf_fail "the time limit of 2 s acted after $took s"
	expect_nothing_left
}

atf_test_case endless_printer
endless_printer_head()
{
	atf_set "descr" "an endless printer hits the output limit (exit 125); the log is capped exactly"
	atf_set "timeout" "30"
}
endless_printer_body()
{
	sandbox --output 4096 --time 20 --dir "$PWD/w" -- sh -c "trap '' PIPE; yes flood-$TOKEN" "$TOKEN"
	expect_status 125
	expect_last_line "sandbox: output limit of 4096 bytes reached (log capped)"
	[ "$(stat -c %s sandbox.log)" -eq 4096 ] || atf_fail "the log has $(stat -c %s sandbox.log) bytes, wanted 4096"
	[ "$took" -lt 10 ] || atf_fail "the output limit took $took s to act"
	expect_nothing_left
	# --log elsewhere; output within the limit is kept whole.
	sandbox --output 4096 --log "$PWD/other.log" --dir "$PWD/w" -- sh -c 'echo short' "$TOKEN"
	expect_status 0
	[ "$(cat other.log)" = short ] || atf_fail "--log: got '$(cat other.log)'"
}

atf_test_case memory_hog
memory_hog_head()
{
	atf_set "descr" "a memory hog cannot allocate past --mem (its allocations fail)"
	atf_set "timeout" "60"
}
memory_hog_body()
{
	mkdir -p w
	cat >w/hog.c <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void)
{
	for (size_t mib = 0; mib < 65536; mib++) {
		char *p = malloc(1 << 20);
		if (!p)
			return printf("allocation failed after %zu MiB\n", mib), 3;
		memset(p, 1, 1 << 20);
	}
	return puts("allocated 64 GiB"), 0;
}
EOF
	sandbox --dir "$PWD/w" -- cc -O0 -o hog hog.c
	expect_status 0
	sandbox --mem 64 --time 30 --dir "$PWD/w" -- ./hog "$TOKEN"
	expect_status 3
	mib=$(sed -n 's/^allocation failed after \([0-9]*\) MiB$/\1/p' sandbox.log)
	[ -n "$mib" ] && [ "$mib" -lt 64 ] || atf_fail "the hog was not limited: $(cat sandbox.log)"
	expect_nothing_left
}

atf_test_case status_passes_through
status_passes_through_head()
{
	atf_set "descr" "CMD's own status comes back; only a real breach adds a 'sandbox:' line"
	atf_set "timeout" "30"
}
status_passes_through_body()
{
	sandbox --dir "$PWD/w" -- sh -c 'exit 7'
	expect_status 7
	sandbox --dir "$PWD/w" -- sh -c 'exit 124'
	expect_status 124
	[ ! -s err ] || atf_fail "a command's own 124 was reported as: $(cat err)"
	sandbox --dir "$PWD/w" -- no-such-command
	expect_status 127
}

atf_test_case bad_usage
bad_usage_head()
{
	atf_set "descr" "wrong usage is refused with exit 126 and a message naming the problem"
	atf_set "timeout" "30"
}
bad_usage_body()
{
	mkdir -p w
	check() {            # expected-message-part args...
		local want=$1
		shift
		rc=0
		"$RUN" "$@" 2>err || rc=$?
		[ "$rc" -eq 126 ] || atf_fail "'$*' gave status $rc, wanted 126"
		grep -qF -- "$want" err || atf_fail "'$*' said: $(head -1 err)"
	}
	check "--dir WORKDIR is required" -- true
	check "--dir must be an absolute path, got 'w'" --dir w -- true
	check "no command given" --dir "$PWD/w"
	check "no command given" --dir "$PWD/w" --
	check "is not an existing folder" --dir "$PWD/missing" -- true
	check "--time needs a whole number, got 'soon'" --time soon --dir "$PWD/w" -- true
	check "--mem 1 is out of range" --mem 1 --dir "$PWD/w" -- true
	check "unknown option '--network'" --network --dir "$PWD/w" -- true
	check "--ro must be an absolute path" --ro etc --dir "$PWD/w" -- true
	check "is inside WORKDIR" --log "$PWD/w/log" --dir "$PWD/w" -- true
	check "--log /dev/null is not a regular file" --log /dev/null --dir "$PWD/w" -- true
	check "cannot be written" --log /proc/hvspec-log --dir "$PWD/w" -- true
	# Folders whose handover to the sandbox would damage the host. Asked as
	# uid 4242, who owns nothing there, so that a broken guard harms nothing.
	if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
		refuse() {       # expected-message-part args...: as uid 4242
			local want=$1
			shift
			rc=0
			setpriv --reuid=4242 --regid=4242 --clear-groups -- "$RUN" "$@" 2>err || rc=$?
			[ "$rc" -eq 126 ] || atf_fail "'$*' gave status $rc, wanted 126"
			grep -qF -- "$want" err || atf_fail "'$*' said: $(head -1 err)"
		}
		refuse "--dir / is the whole host" --dir / -- true
		refuse "is a top-level folder" --dir /tmp -- true
		refuse "inside the system folder /usr" --dir /usr/share -- true
		refuse "is a system folder" --dir /var/tmp -- true
		refuse "holds $ROOT" --dir "$ROOT" -- true
	fi
	"$RUN" --help >help || atf_fail "--help failed"
	grep -q -- '--dir WORKDIR' help || atf_fail "--help shows no usage"
}

atf_test_case as_normal_user
as_normal_user_head()
{
	atf_set "descr" "started by a normal user (here uid 4242 via setpriv), the limits still hold"
	atf_set "require.user" "root"
	atf_set "require.progs" "setpriv"
	atf_set "timeout" "60"
}
as_normal_user_body()
{
	# The normal user owns its scratch folder; kyua's work folder is root's.
	scratch=$(mktemp -d /tmp/hvspec-sandbox-user.XXXXXX)
	mkdir "$scratch/w"
	chown -R 4242:4242 "$scratch"
	as_user() { setpriv --reuid=4242 --regid=4242 --clear-groups -- env HOME="$scratch" "$RUN" "$@"; }
	rc=0
	as_user --dir "$scratch/w" -- sh -c 'id -u; echo x >f; cat /root/.bashrc' "$TOKEN" 2>err || rc=$?
	first_rc=$rc first_log=$(cat "$scratch/sandbox.log")
	rc=0
	as_user --procs 10 --time 30 --dir "$scratch/w" -- bash -c 'b() { b | b & }; b; sleep 100' "$TOKEN" 2>err || rc=$?
	owner=$(stat -c %u "$scratch/w/f" 2>/dev/null) || owner=none
	rm -rf "$scratch"
	[ "$first_rc" -eq 1 ] || atf_fail "status $first_rc, wanted 1 (/root unreadable); log: $first_log"
	[ "$(echo "$first_log" | head -1)" = 4242 ] || atf_fail "ran as '$(echo "$first_log" | head -1)', wanted uid 4242"
	[ "$owner" = 4242 ] || atf_fail "the file written is owned by $owner"
	expect_status 123
	expect_last_line "sandbox: process limit of 10 reached"
	expect_nothing_left
}

atf_test_case signal_stops_everything
signal_stops_everything_head()
{
	atf_set "descr" "SIGTERM to run (a grader stopping) ends the sandbox and hands WORKDIR back"
	atf_set "timeout" "30"
}
signal_stops_everything_body()
{
	mkdir -p w
	"$RUN" --time 60 --dir "$PWD/w" -- sh -c "touch started; sleep 1000.$TOKEN & while :; do :; done" 2>err &
	run_pid=$!
	for _ in $(seq 50); do [ -e w/started ] && break; sleep 0.1; done
	[ -e w/started ] || { kill "$run_pid"; atf_fail "the sandboxed command did not start"; }
	kill -TERM "$run_pid"
	rc=0
	wait "$run_pid" || rc=$?
	expect_status 143
	expect_nothing_left
	[ "$(stat -c %u w/started)" = "$(id -u)" ] || atf_fail "WORKDIR was not handed back after SIGTERM"
}

atf_init_test_cases()
{
	atf_add_test_case builds_c_program
	atf_add_test_case host_files_hidden
	atf_add_test_case writes_outside_fail
	atf_add_test_case network_blocked
	atf_add_test_case fork_bomb
	atf_add_test_case endless_loop
	atf_add_test_case endless_printer
	atf_add_test_case memory_hog
	atf_add_test_case status_passes_through
	atf_add_test_case bad_usage
	atf_add_test_case signal_stops_everything
	atf_add_test_case as_normal_user
}
