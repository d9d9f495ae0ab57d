/*
 * sbx_caps.c - layer 3: drop every capability.
 *
 * Contract: sbx_drop_caps() leaves the process with no capability in any
 * set: bounding, ambient, inheritable, permitted, effective. This matters
 * when nonehost runs as root (CI does): uid 0 without capabilities cannot
 * override file permissions, load modules, change its uid, trace others...
 * The order is forced: emptying the bounding set needs CAP_SETPCAP (made
 * effective first when it is only permitted), so it goes before the
 * permitted set is cleared. Without CAP_SETPCAP the bounding set is left
 * as it is (an unprivileged user cannot drop it, and with no_new_privs and
 * nothing permitted it can grant nothing) and this returns false; it
 * returns true when it emptied the bounding set. Every call is checked
 * (dies 125); the result is read back and must be empty.
 * sbx_setpcap_permitted() says whether CAP_SETPCAP is permitted (--policy).
 * The kernel's own calls (capget, capset, prctl) with its version 3 sets,
 * not libcap: its constructor and its bookkeeping cost start-up time, and
 * the native host is linked with musl, for which Debian has no libcap.
 */
#include <errno.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

#define CAP_WORDS _LINUX_CAPABILITY_U32S_3
#define CAP_BIT(v) (UINT32_C(1) << ((v) % 32))
#define CAP_TOO_MANY 64 /* the kernel's numbers end well below (CAP_LAST_CAP) */

static void caps_get(struct __user_cap_data_struct d[CAP_WORDS])
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};

	if (syscall(SYS_capget, &hdr, d) != 0)
		nh_die_errno(NH_EXIT_USAGE, "sandbox: capget");
}

static void caps_set(const struct __user_cap_data_struct d[CAP_WORDS], const char *what)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};

	if (syscall(SYS_capset, &hdr, d) != 0)
		nh_die_errno(NH_EXIT_USAGE, "sandbox: capset (%s)", what);
}

bool sbx_setpcap_permitted(void)
{
	struct __user_cap_data_struct d[CAP_WORDS];

	caps_get(d);
	return (d[CAP_SETPCAP / 32].permitted & CAP_BIT(CAP_SETPCAP)) != 0;
}

/* Make CAP_SETPCAP effective if it is permitted; say whether we have it. */
static bool have_setpcap(void)
{
	struct __user_cap_data_struct d[CAP_WORDS];
	struct __user_cap_data_struct *w = &d[CAP_SETPCAP / 32];

	caps_get(d);
	if (!(w->permitted & CAP_BIT(CAP_SETPCAP)))
		return false;
	if (!(w->effective & CAP_BIT(CAP_SETPCAP))) {
		w->effective |= CAP_BIT(CAP_SETPCAP);
		caps_set(d, "make CAP_SETPCAP effective");
	}
	return true;
}

/* Each capability out, without reading the set first (a run as root has
 * them all): the kernel says EINVAL past its last one. */
static void drop_bounding(void)
{
	for (int v = 0; v < CAP_TOO_MANY; v++) {
		if (prctl(PR_CAPBSET_DROP, v, 0, 0, 0) == 0)
			continue;
		if (errno == EINVAL && v > CAP_SETPCAP)
			return;
		nh_die_errno(NH_EXIT_USAGE, "sandbox: prctl(PR_CAPBSET_DROP, %d)", v);
	}
	nh_die(NH_EXIT_USAGE, "sandbox: prctl(PR_CAPBSET_DROP) takes %d capabilities and more",
	       CAP_TOO_MANY);
}

bool sbx_drop_caps(void)
{
	struct __user_cap_data_struct none[CAP_WORDS] = {{0}}, now[CAP_WORDS];
	bool bounding = have_setpcap();

	if (bounding)
		drop_bounding();
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0)
		nh_die_errno(NH_EXIT_USAGE, "sandbox: prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
	caps_set(none, "no capabilities");
	caps_get(now);
	for (int i = 0; i < CAP_WORDS; i++)
		if (now[i].effective | now[i].permitted | now[i].inheritable)
			nh_die(NH_EXIT_USAGE, "sandbox: capabilities still set after capset");
	return bounding;
}
