#include "util/layout.h"

#include "util/fileutil.h"
#include "util/strbuf.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Both come from tests/build.mk: the source root and $(B) inside it. */
#ifndef HVSPEC_ROOT
#error "HVSPEC_ROOT must name the source root (-DHVSPEC_ROOT=\"...\")"
#endif
#ifndef HVSPEC_BUILD_DIR
#define HVSPEC_BUILD_DIR "build"
#endif

/* The engine runs in its own work folder, so a relative path given on the
 * command line has to be anchored to the caller's folder first. */
static char *absolute_path(const char *path)
{
	char cwd[PATH_MAX];
	if (path[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		return xstrdup(path);
	return path_join(cwd, path);
}

void layout_init(struct layout *l, const char *kernel)
{
	const char *env = getenv(LAYOUT_ROOT_ENV);
	memset(l, 0, sizeof(*l));
	l->root_from_env = env && *env;
	l->root = absolute_path(l->root_from_env ? env : HVSPEC_ROOT);
	l->build = HVSPEC_BUILD_DIR[0] == '/' ? xstrdup(HVSPEC_BUILD_DIR)
					     : path_join(l->root, HVSPEC_BUILD_DIR);
	l->spec_dir = path_join(l->root, "spec");
	l->spec_loader = path_join(l->spec_dir, "loader.lua");
	l->mkrom = path_join(l->build, "bin/mkrom");
	l->rom_loader = path_join(l->build, "romboot/loader.bin");
	l->kernel_overridden = kernel && *kernel;
	if (l->kernel_overridden)
		l->kernel = absolute_path(kernel);
	else
		l->kernel = path_join(l->build, "reference/hvspec.elf");
	l->probes_dir = path_join(l->build, "guest-probes");
}

char *layout_probe_path(const struct layout *l, const char *probe)
{
	return xasprintf("%s/%s.elf", l->probes_dir, probe);
}

void layout_free(struct layout *l)
{
	free(l->root);
	free(l->build);
	free(l->spec_dir);
	free(l->spec_loader);
	free(l->mkrom);
	free(l->rom_loader);
	free(l->kernel);
	free(l->probes_dir);
	memset(l, 0, sizeof(*l));
}
