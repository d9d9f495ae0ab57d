/*
 * policy.c - nonehost --policy [OPTIONS] [IMAGE]: print, run nothing.
 *
 * Contract: policy_image() prints the summary of a validated image (entry
 * point, then one line per PT_LOAD segment: range, protection, bytes from
 * the file). policy_print() prints the header, the image summary when
 * IMAGE was given (main.c has validated it: a bad image already ended with
 * 126), then the sandbox's own description (sandbox/sbx_describe.c), with
 * the fs-shim's and the netstack-shim's grants and rules added as a run
 * adds them (h->net from nss_setup_policy), then the
 * supervising parent's section (its table built as a run builds it). The
 * caller exits 0.
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

void policy_print(FILE *out, struct nh_host *h)
{
	struct sbx_policy p;
	struct sbx_probe k;

	fprintf(out, "nonehost %s policy (nothing is run)\n", NH_VERSION_STRING);
	if (h->opts.image != NULL)
		policy_image(out, h->opts.image, &h->img);
	else
		fprintf(out, "image: none given\n");
	sbx_policy_init(&p);
	fsshim_policy(h, &p);
	nss_policy(h, &p);
	sbx_probe(&k, h->opts.no_sandbox, h->opts.isolate);
	sbx_describe(out, &p, &k);
	if (h->fs.keep_tmp && !h->opts.isolate) {
		sbx_describe_supervisor(out, NULL, &k);
		return;
	}
	sbx_supervisor_policy_init(&p, 0); /* the child's pid, unknown yet */
	if (!h->fs.keep_tmp)
		fsshim_tmp_policy(&p, h);
	sbx_describe_supervisor(out, &p, &k);
}
