/*
 * sbx_describe.c - nonehost --policy: the effective policy, printed.
 *
 * Contract: sbx_probe() finds out what this kernel and process allow
 * without confining anything: CAP_SETPCAP (can the bounding set be
 * emptied), the Landlock ABI, whether seccomp(2) is there (not under
 * qemu-user: then a filter on the emulator stands in, or a run stops),
 * and with --isolate which namespaces the
 * system lets us make (sbx_unshare() in a throw-away child). sbx_describe()
 * prints, on out: the layers in the order of sandbox.h with what each
 * would do here, the grants (and one not made, with why: absent_guest),
 * and every allowed system call with its
 * argument pins, read from the very policy sbx_apply() would load (there is
 * no second list). The pid and tid pins are those of the printing process;
 * a run pins its own. sbx_describe_supervisor() prints the supervising
 * parent's layers and allowlist the same way, from the table
 * sbx_confine_supervisor() loads (its child's pid shows as 0).
 */
#include <errno.h>
#include <linux/landlock.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch.h"
#include "host.h"
#include "sandbox.h"

/* Try the namespaces in a child, which tells what it got through a pipe. */
static void probe_namespaces(struct sbx_isolation *iso)
{
	int pfd[2], st;
	pid_t pid;

	if (pipe(pfd) != 0)
		nh_die_errno(NH_EXIT_USAGE, "sandbox: --policy: pipe");
	fflush(NULL);
	if ((pid = fork()) < 0)
		nh_die_errno(NH_EXIT_USAGE, "sandbox: --policy: fork");
	if (pid == 0) {
		close(pfd[0]);
		sbx_unshare(iso);
		_exit(write(pfd[1], iso, sizeof(*iso)) == (ssize_t)sizeof(*iso) ? 0 : 1);
	}
	close(pfd[1]);
	if (read(pfd[0], iso, sizeof(*iso)) != (ssize_t)sizeof(*iso))
		*iso = (struct sbx_isolation){0};
	close(pfd[0]);
	while (waitpid(pid, &st, 0) != pid)
		if (errno != EINTR)
			nh_die_errno(NH_EXIT_USAGE, "sandbox: --policy: waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		nh_die(NH_EXIT_USAGE, "sandbox: --policy: the namespace probe failed (status 0x%x)", st);
}

void sbx_probe(struct sbx_probe *k, bool no_sandbox, bool isolate)
{
	*k = (struct sbx_probe){.no_sandbox = no_sandbox, .isolate = isolate};
	k->setpcap = sbx_setpcap_permitted();
	k->landlock_abi = sbx_landlock_abi();
	k->seccomp_err = sbx_seccomp_probe(&k->seccomp_outside);
	if (isolate)
		probe_namespaces(&k->iso);
}

static const char *op_name(enum scmp_compare op)
{
	switch (op) {
	case SCMP_CMP_NE: return "!=";
	case SCMP_CMP_LT: return "<";
	case SCMP_CMP_LE: return "<=";
	case SCMP_CMP_EQ: return "==";
	case SCMP_CMP_GE: return ">=";
	case SCMP_CMP_GT: return ">";
	default: return "?";
	}
}

/* "a0 == 1 && a1 <= 256", or "any arguments" */
void sbx_format_pins(const struct scmp_arg_cmp *arg, unsigned nargs, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	if (nargs == 0)
		snprintf(buf, len, "any arguments");
	for (unsigned i = 0; i < nargs && n < len; i++) {
		const struct scmp_arg_cmp *c = &arg[i];
		const char *and = i ? " && " : "";

		if (c->op == SCMP_CMP_MASKED_EQ)
			n += (size_t)snprintf(buf + n, len - n, "%s(a%u & 0x%llx) == %llu", and, c->arg,
			                      (unsigned long long)c->datum_a, (unsigned long long)c->datum_b);
		else
			n += (size_t)snprintf(buf + n, len - n, "%sa%u %s %llu", and, c->arg, op_name(c->op),
			                      (unsigned long long)c->datum_a);
	}
}

static void describe_namespaces(FILE *out, const struct sbx_probe *k)
{
	bool first = true;

	if (!k->isolate) {
		fprintf(out, "  0 namespaces     off (--isolate not given)\n");
		return;
	}
	fprintf(out, "  0 namespaces     ");
	for (int t = 0; t < SBX_NS_COUNT; t++) {
		if (!(k->iso.made & (1u << t)))
			continue;
		fprintf(out, "%s%s", first ? "" : ", ", sbx_namespaces[t].name);
		first = false;
	}
	if (first)
		fprintf(out, "none");
	for (int t = 0; t < SBX_NS_COUNT; t++)
		if (!(k->iso.made & (1u << t)))
			fprintf(out, "; %s unavailable (%s)", sbx_namespaces[t].name, strerror(k->iso.err[t]));
	fprintf(out, "%s\n", k->iso.made & (1u << SBX_NS_PID) ? "; the image runs as PID 1" : "");
}

/* ", TCP bind/connect" and the like: the TCP rights Landlock handles. */
static const char *tcp_rights(uint8_t unhandled)
{
	switch (unhandled & (SBX_NET_BIND | SBX_NET_CONNECT)) {
	case 0: return ", TCP bind/connect";
	case SBX_NET_BIND: return ", TCP connect";
	case SBX_NET_CONNECT: return ", TCP bind";
	default: return "";
	}
}

static void describe_landlock(FILE *out, int abi, const struct sbx_policy *p)
{
	unsigned npaths = p->npaths, nports = abi >= 4 ? sbx_policy_nports(p) : 0;

	if (abi == 0) {
		fprintf(out, "  4 Landlock       unavailable (the kernel has none); going on without it%s\n",
		        npaths > 0 ? " (files: only the fs-shim's own checks, see fs-shim/README.md)" : "");
		return;
	}
	fprintf(out, "  4 Landlock       ABI %d: every file system right%s%s handled, ", abi,
	        abi >= 4 ? tcp_rights(p->net_unhandled) : "",
	        abi >= 6 ? ", abstract UNIX socket and signal scopes" : "");
	if (npaths == 0 && nports == 0)
		fprintf(out, "no rule\n");
	else if (nports == 0)
		fprintf(out, "%u path rule%s (the file grants below)\n", npaths, npaths == 1 ? "" : "s");
	else
		fprintf(out, "%u path rule%s and %u TCP port rule%s (the grants below)\n", npaths,
		        npaths == 1 ? "" : "s", nports, nports == 1 ? "" : "s");
}

/* Under qemu-user seccomp(2) is missing: say what stands in, or that a
 * run stops; the allowlist is printed all the same (a native run's). */
static void describe_seccomp(FILE *out, const struct sbx_probe *k, const struct sbx_policy *p)
{
	if (k->seccomp_err == 0)
		fprintf(out, "  5 seccomp        %u system calls, %u rules; default: trap (report, exit "
		        "159); " ARCH_OTHER_ABIS ": trap\n", sbx_policy_nsyscalls(p), p->nrules);
	else if (k->seccomp_outside)
		fprintf(out, "  5 seccomp        applied outside, to the emulator (no seccomp(2) here: "
		        "the filter its starter put on it confines the guest and this host); the "
		        "table below is a native run's\n");
	else
		fprintf(out, "  5 seccomp        unavailable here (no seccomp(2), as under qemu-user) "
		        "and nothing confines this process from outside: a run stops (125)\n");
}

static void describe_grants(FILE *out, const struct sbx_policy *p)
{
	fprintf(out, "grants:\n");
	if (p->npaths == 0 && p->describe_net != NULL)
		fprintf(out, "  files: none granted\n");
	else if (p->npaths == 0)
		fprintf(out, "  files: none granted; network: none\n");
	else
		fprintf(out, "  files: %u director%s (guest path, ro/rw, host directory)\n", p->npaths,
		        p->npaths == 1 ? "y" : "ies");
	for (unsigned i = 0; i < p->npaths; i++) {
		const struct sbx_path *g = &p->path[i];

		fprintf(out, "    %-30s %s  %s%s%s\n", g->guest, g->rw ? "rw" : "ro", g->host,
		        g->note[0] ? "  " : "", g->note);
	}
	if (p->absent_guest != NULL)
		fprintf(out, "    %-30s %s\n", p->absent_guest, p->absent_why);
	if (p->describe_net != NULL)
		p->describe_net(out, p->net_arg);
	else if (p->npaths > 0)
		fprintf(out, "  network: none\n");
}

static void describe_syscalls(FILE *out, const struct sbx_policy *p, const char *whose)
{
	fprintf(out, "%sallowed system calls: %u (%u rules); any other: %s\n", whose,
	        sbx_policy_nsyscalls(p),
	        p->nrules, p->deny_eperm ? "fails with EPERM" : "SIGSYS report, exit 159");
	for (unsigned i = 0; i < p->nrules; i++) {
		const char *abi, *name;
		unsigned j = 0;

		while (j < i && p->rule[j].nr != p->rule[i].nr)
			j++;
		if (j < i)
			continue; /* printed with the first rule for this call */
		name = sbx_syscall_name(sbx_name_tables[0].arch, p->rule[i].nr, &abi); /* native */
		for (unsigned k = i; k < p->nrules; k++) {
			char pins[256];

			if (p->rule[k].nr != p->rule[i].nr)
				continue;
			sbx_format_pins(p->rule[k].arg, p->rule[k].nargs, pins, sizeof(pins));
			if (k == i || strcmp(p->rule[k].why, p->rule[i].why) != 0)
				fprintf(out, "  %-16s %-40s %s\n", k == i ? (name ? name : "?") : "", pins,
				        p->rule[k].why);
			else
				fprintf(out, "  %-16s %s\n", "", pins);
		}
	}
}

void sbx_describe(FILE *out, const struct sbx_policy *p, const struct sbx_probe *k)
{
	fprintf(out, "layers (sandbox/sandbox.h order):\n");
	describe_namespaces(out, k);
	if (k->no_sandbox) {
		fprintf(out, "  1-5              OFF: --no-sandbox, the image would run UNCONFINED "
		        "(debugging only)\n");
		fprintf(out, "grants: everything this process may do (the fs-shim still resolves "
		        "the guest's paths beneath its grants)\n");
		return;
	}
	fprintf(out, "  1 no_new_privs   on\n");
	fprintf(out, "  2 rlimits        nofile %llu, core 0, nproc %llu (soft = hard)\n",
	        (unsigned long long)p->nofile, (unsigned long long)p->nproc);
	fprintf(out, "  3 capabilities   all dropped%s\n",
	        k->setpcap || (k->isolate && (k->iso.made & (1u << SBX_NS_USER)))
	                ? ", bounding set too"
	                : "; bounding set kept (no CAP_SETPCAP; with no_new_privs it grants nothing)");
	describe_landlock(out, k->landlock_abi, p);
	describe_seccomp(out, k, p);
	describe_grants(out, p);
	describe_syscalls(out, p, "");
}

static void describe_access(char *buf, size_t len, uint64_t access)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} rights[] = {
		{LANDLOCK_ACCESS_FS_READ_DIR, "READ_DIR"},
		{LANDLOCK_ACCESS_FS_REMOVE_DIR, "REMOVE_DIR"},
		{LANDLOCK_ACCESS_FS_REMOVE_FILE, "REMOVE_FILE"},
	};
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(rights) / sizeof(rights[0]) && n < len; i++)
		if (access & rights[i].bit)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "|" : "", rights[i].name);
	if (access & ~(uint64_t)(LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_REMOVE_DIR |
	                         LANDLOCK_ACCESS_FS_REMOVE_FILE) && n < len)
		snprintf(buf + n, len - n, "%s0x%llx", n ? "|" : "", (unsigned long long)access);
}

void sbx_describe_supervisor(FILE *out, const struct sbx_policy *sp, const struct sbx_probe *k)
{
	if (sp == NULL) {
		fprintf(out, "supervisor: none (no fork: no --isolate, and nothing on disk for it to "
		        "remove: --keep-tmp, --tmpdir, or the run's directory in memory)\n");
		return;
	}
	fprintf(out, "supervisor (the waiting parent: waits, passes on the signals the image "
	        "catches, removes the run's TMPDIR and /etc, passes the status on):\n");
	fprintf(out, "  1 no_new_privs   on\n");
	fprintf(out, "  2 capabilities   all dropped%s\n",
	        k->setpcap || (k->isolate && (k->iso.made & (1u << SBX_NS_USER)))
	                ? ", bounding set too" : "; bounding set kept (no CAP_SETPCAP)");
	fprintf(out, "  3 rlimits        nofile: %llu free descriptors, core 0, nproc 0\n",
	        (unsigned long long)(sp->nofile > 1 ? sp->nofile : 1));
	if (k->landlock_abi == 0)
		fprintf(out, "  4 Landlock       unavailable (the kernel has none)\n");
	else
		fprintf(out, "  4 Landlock       ABI %d: every file system right%s%s handled, %u path "
		        "rule%s\n", k->landlock_abi, k->landlock_abi >= 4 ? ", TCP bind/connect" : "",
		        k->landlock_abi >= 6 ? ", abstract UNIX socket scope (no signal scope: it "
		        "signals its child)" : "", sp->npaths, sp->npaths == 1 ? "" : "s");
	for (unsigned i = 0; i < sp->npaths; i++) {
		char rights[96];

		describe_access(rights, sizeof(rights), sp->path[i].access);
		fprintf(out, "    %-30s %s  %s\n", sp->path[i].host, rights, sp->path[i].note);
	}
	if (k->seccomp_err != 0)
		fprintf(out, "  5 seccomp        %s\n", k->seccomp_outside
		        ? "applied outside, to the emulator (no seccomp(2) here); the table below is a "
		          "native run's"
		        : "unavailable here (no seccomp(2)) and nothing confines this process from "
		          "outside: a run stops (125)");
	else
		fprintf(out, "  5 seccomp        %u system calls, %u rules; default: EPERM (so the "
		        "child's status is never lost); " ARCH_OTHER_ABIS ": EPERM\n",
		        sbx_policy_nsyscalls(sp), sp->nrules);
	describe_syscalls(out, sp, "supervisor: ");
}
