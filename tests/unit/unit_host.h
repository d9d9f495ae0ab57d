/*
 * unit_host.h - a host context from an option line, for the suites that
 * test what a host passes on (check_launcher.c: a child image's command
 * line; check_foreign.c: the emulator's). Include after host.h and unit.h.
 */
#ifndef NONEHOST_UNIT_HOST_H
#define NONEHOST_UNIT_HOST_H

#include <string.h>

/* *w from argv (cli_parse, which must accept it), a --dir grant of
 * /srv/data at /data (rw), the current directory /work and a made TMPDIR. */
static inline void unit_host_of(struct nh_host *w, char **argv)
{
	char err[256];
	int argc = 0;

	while (argv[argc] != NULL)
		argc++;
	memset(w, 0, sizeof(*w));
	ck_assert_msg(cli_parse(argc, argv, &w->opts, err, sizeof(err)) == CLI_RUN, "%s", err);
	w->fs.tmp = w->fs.etc = w->fs.etc_theirs = -1;
	fsshim_grant_add(&w->fs, FSSHIM_DIR, "/srv/data:/data:rw", "/srv/data", "/data", true);
	fsshim_grant_add(&w->fs, FSSHIM_CWD, NULL, "/work", "/work", false);
	strcpy(w->fs.cwd, "/work");
	w->fs.tmp = fsshim_grant_add(&w->fs, FSSHIM_TMP, NULL, "/tmp/nonehost.A/tmp",
	                             "/tmp/nonehost.A/tmp", true);
}

#endif
