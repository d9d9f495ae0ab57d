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
 * returns true when it emptied the bounding set. Every libcap call is
 * checked (dies 125); the result is read back and must be empty.
 */
#include <sys/capability.h>

#include "host.h"
#include "sandbox.h"

/* Make CAP_SETPCAP effective if it is permitted; say whether we have it. */
static bool have_setpcap(void)
{
	cap_t c = cap_get_proc();
	cap_value_t setpcap = CAP_SETPCAP;
	cap_flag_value_t eff = CAP_CLEAR, perm = CAP_CLEAR;

	if (c == NULL)
		nh_die_errno(NH_EXIT_USAGE, "sandbox: cap_get_proc");
	if (cap_get_flag(c, CAP_SETPCAP, CAP_EFFECTIVE, &eff) != 0 ||
	    cap_get_flag(c, CAP_SETPCAP, CAP_PERMITTED, &perm) != 0)
		nh_die_errno(NH_EXIT_USAGE, "sandbox: cap_get_flag(CAP_SETPCAP)");
	if (perm == CAP_SET && eff != CAP_SET) {
		if (cap_set_flag(c, CAP_EFFECTIVE, 1, &setpcap, CAP_SET) != 0 || cap_set_proc(c) != 0)
			nh_die_errno(NH_EXIT_USAGE, "sandbox: make CAP_SETPCAP effective");
		eff = CAP_SET;
	}
	cap_free(c);
	return eff == CAP_SET;
}

static void drop_bounding(void)
{
	cap_value_t max = cap_max_bits();

	for (cap_value_t v = 0; v < max; v++) {
		int in = cap_get_bound(v);

		if (in < 0)
			nh_die_errno(NH_EXIT_USAGE, "sandbox: cap_get_bound(%d)", (int)v);
		if (in > 0 && cap_drop_bound(v) != 0)
			nh_die_errno(NH_EXIT_USAGE, "sandbox: cap_drop_bound(%s)", cap_to_name(v));
	}
}

bool sbx_drop_caps(void)
{
	bool bounding = have_setpcap();
	cap_t none, now;

	if (bounding)
		drop_bounding();
	if (cap_reset_ambient() != 0)
		nh_die_errno(NH_EXIT_USAGE, "sandbox: cap_reset_ambient");
	if ((none = cap_init()) == NULL)
		nh_die_errno(NH_EXIT_USAGE, "sandbox: cap_init");
	if (cap_set_proc(none) != 0)
		nh_die_errno(NH_EXIT_USAGE, "sandbox: cap_set_proc(no capabilities)");
	if ((now = cap_get_proc()) == NULL)
		nh_die_errno(NH_EXIT_USAGE, "sandbox: cap_get_proc");
	if (cap_compare(now, none) != 0)
		nh_die(NH_EXIT_USAGE, "sandbox: capabilities still set after cap_set_proc");
	cap_free(now);
	cap_free(none);
	return bounding;
}
