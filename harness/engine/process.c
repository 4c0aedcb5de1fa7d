/* pipe2() */
#define _GNU_SOURCE
#include "engine/process.h"

#include "util/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How often the parent looks whether the child has ended. */
#define POLL_INTERVAL_NS (5 * 1000 * 1000)

/* The process group of the running child, for the signal handler. */
static volatile sig_atomic_t active_group;

static const int fatal_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGALRM,
				     SIGUSR1, SIGUSR2, SIGABRT, SIGSEGV, SIGBUS };

static void install_cleanup(void);

/* The folder a fatal signal removes; "" for none. */
static char doomed_dir[4096];

void process_remove_on_signal(const char *flat_dir)
{
	install_cleanup();
	size_t n = flat_dir ? strlen(flat_dir) : 0;
	if (n >= sizeof(doomed_dir))
		n = 0; /* too long to keep: better left behind than half removed */
	memcpy(doomed_dir, flat_dir ? flat_dir : "", n);
	doomed_dir[n] = '\0';
}

/* The kernel's directory record (getdents64(2)). */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Unlinks what one read of the folder lists; returns how many went. */
static int unlink_listed(int fd)
{
	char buf[4096];
	int removed = 0;
	long n;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (void *)(buf + off);
			if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..") &&
			    unlinkat(fd, d->d_name, 0) == 0)
				removed++;
			off += d->d_reclen;
		}
	}
	return removed;
}

/* getdents64, unlinkat and rmdir are plain system calls: safe in a signal
 * handler, unlike opendir/readdir. Passes over the folder until one
 * removes nothing ("." and ".." always stay), a bounded number of times. */
static void remove_doomed_dir(void)
{
	if (!doomed_dir[0])
		return;
	int fd = open(doomed_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	for (int pass = 0; pass < 64; pass++) {
		lseek(fd, 0, SEEK_SET);
		if (unlink_listed(fd) == 0)
			break;
	}
	close(fd);
	rmdir(doomed_dir);
}

/* The harness is going down: take the emulator with it, then die of the
 * same signal. (SIGKILL is covered by PR_SET_PDEATHSIG in the child.) */
static void on_fatal_signal(int sig)
{
	pid_t group = active_group;
	if (group > 0)
		kill(-group, SIGKILL);
	remove_doomed_dir();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_cleanup(void)
{
	static bool installed;
	if (installed)
		return;
	installed = true;
	for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++) {
		struct sigaction sa, old;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_fatal_signal;
		sigemptyset(&sa.sa_mask);
		/* Keep a disposition someone set on purpose (e.g. SIG_IGN). */
		if (sigaction(fatal_signals[i], NULL, &old) == 0 && old.sa_handler != SIG_DFL)
			continue;
		sigaction(fatal_signals[i], &sa, NULL);
	}
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void exec_child(char *const argv[], const char *cwd, int out_fd, int err_pipe,
		       pid_t parent)
{
	setpgid(0, 0);
	/* Dies with the harness even when the harness is SIGKILLed. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++)
		signal(fatal_signals[i], SIG_DFL);
	int in_fd = open("/dev/null", O_RDONLY);
	if (in_fd < 0 || dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0 ||
	    (cwd && chdir(cwd) != 0)) {
		int e = errno;
		(void)!write(err_pipe, &e, sizeof(e));
		_exit(127);
	}
	execvp(argv[0], argv);
	int e = errno;
	(void)!write(err_pipe, &e, sizeof(e));
	_exit(127);
}

/* Exited (but not yet reaped: the zombie keeps the group id from being
 * reused while we kill the rest of the group). */
static bool child_ended(pid_t pid)
{
	siginfo_t info;
	memset(&info, 0, sizeof(info));
	if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0)
		return errno != EINTR;
	return info.si_pid == pid;
}

int process_run(char *const argv[], const char *cwd, const char *output_path,
		int timeout_s, struct process_result *out)
{
	memset(out, 0, sizeof(*out));
	install_cleanup();
	int out_fd = open(output_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out_fd < 0)
		return -1;
	int err_pipe[2];
	if (pipe2(err_pipe, O_CLOEXEC) != 0) {
		close(out_fd);
		return -1;
	}

	/* Block the fatal signals until the group id is recorded, so that a
	 * signal in between cannot leave the child behind. */
	sigset_t fatal, old_mask;
	sigemptyset(&fatal);
	for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++)
		sigaddset(&fatal, fatal_signals[i]);
	sigprocmask(SIG_BLOCK, &fatal, &old_mask);

	double start = now_seconds();
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		close(out_fd);
		close(err_pipe[0]);
		close(err_pipe[1]);
		errno = e;
		return -1;
	}
	if (pid == 0)
		exec_child(argv, cwd, out_fd, err_pipe[1], parent);

	setpgid(pid, pid); /* also here: whichever of the two runs first wins */
	active_group = pid;
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	close(out_fd);
	close(err_pipe[1]);

	int child_errno = 0;
	ssize_t n;
	do
		n = read(err_pipe[0], &child_errno, sizeof(child_errno));
	while (n < 0 && errno == EINTR);
	close(err_pipe[0]);
	out->started = n == 0; /* the pipe closed on a successful exec */
	out->exec_errno = n > 0 ? child_errno : 0;

	const struct timespec pause = { 0, POLL_INTERVAL_NS };
	while (!child_ended(pid)) {
		if (now_seconds() - start >= (double)timeout_s) {
			out->timed_out = true;
			break;
		}
		nanosleep(&pause, NULL);
	}
	kill(-pid, SIGKILL); /* the child on timeout; any helper it left otherwise */
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	active_group = 0;
	out->wait_status = status;
	out->seconds = now_seconds() - start;
	return 0;
}

char *process_describe_status(int wait_status)
{
	if (WIFEXITED(wait_status))
		return xasprintf("exit status %d", WEXITSTATUS(wait_status));
	if (WIFSIGNALED(wait_status))
		return xasprintf("killed by signal %d (%s)", WTERMSIG(wait_status),
				 strsignal(WTERMSIG(wait_status)));
	return xasprintf("wait status 0x%x", (unsigned)wait_status);
}
