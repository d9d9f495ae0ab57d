/*
 * sbx_nnp.c - layer 1: no_new_privs.
 *
 * Contract: sbx_no_new_privs() sets PR_SET_NO_NEW_PRIVS, so that no execve
 * can ever grant this process (or a child) privileges again: no setuid or
 * file-capability binaries, no LSM transitions. It is irreversible and
 * inherited. Landlock and an unprivileged seccomp filter both require it;
 * setting it first means neither ever depends on CAP_SYS_ADMIN. Dies 125
 * if the kernel refuses, or if reading the flag back does not say 1.
 */
#include <sys/prctl.h>

#include "host.h"
#include "sandbox.h"

void sbx_no_new_privs(void)
{
	int on;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		nh_die_errno(NH_EXIT_USAGE, "sandbox: prctl(PR_SET_NO_NEW_PRIVS)");
	on = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	if (on != 1)
		nh_die(NH_EXIT_USAGE, "sandbox: prctl(PR_GET_NO_NEW_PRIVS) says %d after setting it", on);
}
