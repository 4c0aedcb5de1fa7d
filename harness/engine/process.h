/* Runs an emulator (or any helper) in its own process group with a wall
 * clock limit, and makes sure nothing it started outlives the harness. */
#ifndef HVSPEC_HARNESS_PROCESS_H
#define HVSPEC_HARNESS_PROCESS_H

#include <stdbool.h>

struct process_result {
	bool started;     /* false: exec failed, exec_errno says why */
	int exec_errno;
	bool timed_out;   /* the group was killed at the time limit */
	int wait_status;  /* as from waitpid() */
	double seconds;   /* wall time */
};

/* Runs argv[0] (searched in $PATH) in cwd with stdin from /dev/null and
 * stdout+stderr into output_path, for at most timeout_s seconds; then kills
 * whatever is left of its process group. Returns 0, or -1 with errno set
 * when the harness itself could not set the run up. */
int process_run(char *const argv[], const char *cwd, const char *output_path,
		int timeout_s, struct process_result *out);
/* A folder of plain files that a fatal signal removes after killing the
 * running emulator (hvrun's temporary run folder): the removal uses only
 * async-signal-safe calls. NULL forgets it. The path is copied. */
void process_remove_on_signal(const char *flat_dir);
/* "exit status 1", "killed by signal 9 (Killed)", ...; malloc'd. */
char *process_describe_status(int wait_status);

#endif
