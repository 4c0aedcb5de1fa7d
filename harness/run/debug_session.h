/* A case or probe booted with the engine's debugger attached, for a person
 * at a terminal: Bochs stops at its prompt with the hypervisor's symbols
 * loaded; QEMU waits for gdb on its stub. With req->interactive instead,
 * the machine runs with COM1 on the terminal (hvrun --interactive). */
#ifndef HVSPEC_HARNESS_DEBUG_SESSION_H
#define HVSPEC_HARNESS_DEBUG_SESSION_H

#include "run/boot.h"

/* Prepares work_dir (kept afterwards) and replaces the calling process with
 * the engine. Returns only on failure: -1 with the reason in err. */
int debug_session_exec(const struct layout *l, const struct boot_request *req,
		       const char *what, const char *work_dir, struct strbuf *err);

#endif
