/*
 * policy.c - nonehost --policy [OPTIONS] [IMAGE]: print, run nothing.
 *
 * Contract: policy_image() prints the summary of a validated image (entry
 * point, then one line per PT_LOAD segment: range, protection, bytes from
 * the file). policy_print() prints the header, the image summary when
 * IMAGE was given (main.c has validated it: a bad image already ended with
 * 126), then the sandbox's own description (sandbox/sbx_describe.c), with
 * the fs-shim's, the netstack-shim's and the process ops' grants and
 * rules added as a run adds them (h->net from nss_setup_policy), then the
 * processes (launcher on or off and why, --max-procs, each --allow-exec
 * path, how children are confined, the UNIX sockets it makes), then the
 * supervising parent's section
 * (its table built as a run builds it). The caller exits 0.
 */
#include <stdio.h>

#include "host.h"
#include "sandbox.h"

void policy_image(FILE *out, const char *name, const struct elf_image *img)
{
	fprintf(out, "image: %s: entry 0x%llx, %u segment%s, image end 0x%llx\n", name,
	        (unsigned long long)img->entry, img->nseg, img->nseg == 1 ? "" : "s",
	        (unsigned long long)img->image_end);
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct elf_seg *s = &img->seg[i];

		fprintf(out, "  segment %u: 0x%llx-0x%llx %c%c%c, %llu bytes from the file\n", i,
		        (unsigned long long)s->vaddr, (unsigned long long)(s->vaddr + s->memsz),
		        s->flags & 4 ? 'r' : '-', s->flags & 2 ? 'w' : '-', s->flags & 1 ? 'x' : '-',
		        (unsigned long long)s->filesz);
	}
}

static void processes(FILE *out, const struct nh_host *h)
{
	if (h->opts.max_procs == 0) {
		fprintf(out, "processes: off (--max-procs 0): no launcher; the process ops are not "
		        "served\n");
		fprintf(out, "  UNIX sockets: the host makes them in the image's own root; where none "
		        "can be made, there are none (the launcher would make them)\n");
		return;
	}
	if (!proc_image_asks(h)) {
		fprintf(out, "processes: off: the image cannot ask for one (it names no %s): no "
		        "launcher; the process ops are not served\n", NH_PROC_START_SYMBOL);
		fprintf(out, "  UNIX sockets: the host makes them in the image's own root; where "
		        "none can be made, a launcher is forked for them after all\n");
		return;
	}
	fprintf(out, "processes: on: a launcher, forked before the sandbox, starts at most %u "
	        "children alive at once (--max-procs)\n", h->opts.max_procs);
	fprintf(out, "  GOOS=none images (the image itself, or one in the grants): a new nonehost, "
	        "with these grants and network or narrower\n");
	fprintf(out, "  host programs (--allow-exec):%s\n", h->opts.nallow_exec == 0 ? " none" : "");
	for (unsigned i = 0; i < h->opts.nallow_exec; i++)
		fprintf(out, "    %s\n", h->opts.allow_exec[i]);
	fprintf(out, "  each child confined by the launcher: Landlock on the grants, the network "
	        "policy, no_new_privs, no capabilities (sandbox/README.md, \"Processes\")\n");
	fprintf(out, "  the run's own PID namespace, the launcher its PID 1, when the system allows "
	        "it: nothing any child starts outlives the run, and with Linux 6.14 or later it "
	        "allocates pids below %u, at every depth (--trace says which)\n",
	        LAUNCH_RUN_PIDS(h->opts.max_procs));
	fprintf(out, "  UNIX stream sockets (--net private or host): made by the launcher, bound "
	        "beneath read-write grants only (Landlock), connected only to sockets there "
	        "(its own check)\n");
}

void policy_build(struct nh_host *h, struct sbx_policy *p)
{
	sbx_policy_init(p);
	fsshim_policy(h, p);
	nss_policy(h, p);
	hook_console_policy(h, p);
	proc_policy(h, p);
}

void policy_print(FILE *out, struct nh_host *h)
{
	struct sbx_policy p;
	struct sbx_probe k;

	fprintf(out, "nonehost %s policy (nothing is run)\n", NH_VERSION_STRING);
	if (h->opts.image != NULL)
		policy_image(out, h->opts.image, &h->img);
	else
		fprintf(out, "image: none given\n");
	policy_build(h, &p);
	sbx_probe(&k, h->opts.no_sandbox, h->opts.isolate);
	sbx_describe(out, &p, &k);
	processes(out, h);
	if (!h->opts.isolate && (h->fs.keep_tmp || (h->opts.tmpdir != NULL && !h->fs.etc_wanted) ||
	                         h->fs.run.in_memory)) {
		sbx_describe_supervisor(out, NULL, &k); /* no fork: nothing of ours to remove */
		return;
	}
	sbx_supervisor_policy_init(&p, 0); /* the child's pid, unknown yet */
	if (!h->fs.keep_tmp)
		fsshim_tmp_policy(&p, h);
	sbx_describe_supervisor(out, &p, &k);
}
