/*
 * check_cli.c - unit tests of the command-line parser (host/cli.c): sizes,
 * options ending at IMAGE, guest arguments passing through, the fs-shim's
 * options (--dir, --keep-tmp, --max-files), the processes' (--max-procs,
 * --allow-exec, --launcher-fd), --signal-fd, every error.
 */
#include <check.h>
#include <string.h>

#include "host.h"
#include "unit.h"

START_TEST(test_sizes)
{
	static const struct {
		const char *s;
		bool ok;
		uint64_t v;
	} t[] = {
		{"4G", true, UINT64_C(4) << 30},     {"16M", true, UINT64_C(16) << 20},
		{"512k", true, UINT64_C(512) << 10}, {"1Gi", true, UINT64_C(1) << 30},
		{"1GiB", true, UINT64_C(1) << 30},   {"2T", true, UINT64_C(2) << 40},
		{"4096", true, 4096},                {"18446744073709551615", true, UINT64_MAX},
		{"", false, 0},                      {"G", false, 0},
		{"1X", false, 0},                    {"-1M", false, 0},
		{"1M ", false, 0},                   {"1B", false, 0},
		{"18446744073709551616", false, 0},  {"17179869184G", false, 0},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t v = 0;

		ck_assert_msg(cli_parse_size(t[i].s, &v) == t[i].ok, "\"%s\"", t[i].s);
		if (t[i].ok)
			ck_assert_msg(v == t[i].v, "\"%s\" = %llu", t[i].s, (unsigned long long)v);
	}
}
END_TEST

/* Parse a NULL-terminated argv. */
static enum cli_action parse(struct nh_opts *o, char *err, char **argv)
{
	int argc = 0;

	while (argv[argc] != NULL)
		argc++;
	return cli_parse(argc, argv, o, err, 256);
}

#define ARGV(...) ((char *[]){"nonehost", __VA_ARGS__, NULL})

START_TEST(test_run_forms)
{
	/* o.argv points into these: they must outlive the asserts. */
	static char *a1[] = {"nonehost", "run", "--memory", "64M", "img", "a", "b", NULL};
	static char *a2[] = {"nonehost", "img", "-test.v", "--trace", NULL};
	static char *a3[] = {"nonehost", "--trace", "--memory=1G", "./run", NULL};
	static char *a4[] = {"nonehost", "run", "--", "-odd-name", "x", NULL};
	static char *a5[] = {"nonehost", "-", NULL};
	static char *a6[] = {"nonehost", "run", "--no-sandbox", "img", "--no-sandbox", NULL};
	struct nh_opts o;
	char err[256];

	ck_assert_int_eq(parse(&o, err, a1), CLI_RUN);
	ck_assert_str_eq(o.image, "img");
	ck_assert_int_eq(o.argc, 3);
	ck_assert_str_eq(o.argv[0], "img");
	ck_assert_str_eq(o.argv[2], "b");
	ck_assert_uint_eq(o.memory, UINT64_C(64) << 20);
	ck_assert(!o.trace);
	ck_assert(!o.no_sandbox); /* sandboxed unless asked */

	ck_assert_int_eq(parse(&o, err, a2), CLI_RUN);
	ck_assert_str_eq(o.image, "img");
	ck_assert_int_eq(o.argc, 3);
	ck_assert_str_eq(o.argv[1], "-test.v");
	ck_assert(!o.trace); /* after IMAGE: the guest's */
	ck_assert_uint_eq(o.memory, NH_RAM_DEFAULT);

	ck_assert_int_eq(parse(&o, err, a3), CLI_RUN);
	ck_assert(o.trace);
	ck_assert_uint_eq(o.memory, UINT64_C(1) << 30);
	ck_assert_str_eq(o.image, "./run");
	ck_assert_int_eq(o.argc, 1);

	ck_assert_int_eq(parse(&o, err, a4), CLI_RUN);
	ck_assert_str_eq(o.image, "-odd-name");
	ck_assert_int_eq(o.argc, 2);

	ck_assert_int_eq(parse(&o, err, a5), CLI_RUN);
	ck_assert_str_eq(o.image, "-");

	ck_assert_int_eq(parse(&o, err, a6), CLI_RUN);
	ck_assert(o.no_sandbox);
	ck_assert_str_eq(o.image, "img");
	ck_assert_str_eq(o.argv[1], "--no-sandbox"); /* after IMAGE: the guest's */
}
END_TEST

START_TEST(test_help_version)
{
	struct nh_opts o;
	char err[256];

	ck_assert_int_eq(parse(&o, err, ARGV("--help")), CLI_HELP);
	ck_assert_int_eq(parse(&o, err, ARGV("-h")), CLI_HELP);
	ck_assert_int_eq(parse(&o, err, ARGV("run", "--help")), CLI_HELP);
	ck_assert_int_eq(parse(&o, err, ARGV("--version")), CLI_VERSION);
	ck_assert_int_eq(parse(&o, err, ARGV("img", "--help")), CLI_RUN); /* the guest's */
}
END_TEST

START_TEST(test_policy_isolate)
{
	static char *a1[] = {"nonehost", "--policy", NULL};
	static char *a2[] = {"nonehost", "--policy", "--isolate", "--memory", "64M", "img", "x", NULL};
	static char *a3[] = {"nonehost", "run", "--isolate", "img", "--policy", NULL};
	static char *a4[] = {"nonehost", "--isolate", NULL};
	struct nh_opts o;
	char err[256];

	ck_assert_int_eq(parse(&o, err, a1), CLI_POLICY);
	ck_assert(o.policy);
	ck_assert(!o.isolate);
	ck_assert_ptr_null(o.image); /* IMAGE is optional with --policy */

	ck_assert_int_eq(parse(&o, err, a2), CLI_POLICY);
	ck_assert(o.isolate);
	ck_assert_str_eq(o.image, "img");
	ck_assert_uint_eq(o.memory, UINT64_C(64) << 20);

	ck_assert_int_eq(parse(&o, err, a3), CLI_RUN);
	ck_assert(o.isolate);
	ck_assert(!o.policy); /* after IMAGE: the guest's */
	ck_assert_str_eq(o.argv[1], "--policy");

	ck_assert_int_eq(parse(&o, err, a4), CLI_ERROR); /* a run still needs IMAGE */
	ck_assert_ptr_nonnull(strstr(err, "no IMAGE given"));
}
END_TEST

START_TEST(test_fs_options)
{
	static char *a1[] = {"nonehost", "--dir", "/srv:/data:rw", "--dir=/etc:ro", "--keep-tmp",
	                     "--max-files", "4096", "img", "--dir", "x", NULL};
	static char *a2[] = {"nonehost", "--max-files=0", "img", NULL};
	struct nh_opts o;
	char err[256];

	ck_assert_int_eq(parse(&o, err, a1), CLI_RUN);
	ck_assert_uint_eq(o.ndirs, 2);
	ck_assert_str_eq(o.dir[0], "/srv:/data:rw");
	ck_assert_str_eq(o.dir[1], "/etc:ro");
	ck_assert(o.keep_tmp);
	ck_assert_uint_eq(o.max_files, 4096);
	ck_assert_str_eq(o.argv[1], "--dir"); /* after IMAGE: the guest's */
	ck_assert_int_eq(parse(&o, err, a2), CLI_RUN);
	ck_assert_uint_eq(o.max_files, 0);
	ck_assert(!o.keep_tmp);
	ck_assert_uint_eq(o.ndirs, 0);
	ck_assert_int_eq(parse(&o, err, ARGV("img")), CLI_RUN);
	ck_assert_uint_eq(o.max_files, FSSHIM_MAX_FILES_DEFAULT);
	ck_assert_ptr_null(o.tmpdir);
	ck_assert_int_eq(parse(&o, err, ARGV("--tmpdir", "/run/t", "img")), CLI_RUN);
	ck_assert_str_eq(o.tmpdir, "/run/t");
	ck_assert_int_eq(parse(&o, err, ARGV("--tmpdir=rel/t", "img")), CLI_RUN);
	ck_assert_str_eq(o.tmpdir, "rel/t"); /* fsshim_setup realpaths it */
	ck_assert_int_eq(parse(&o, err, ARGV("--tmpdir=", "img")), CLI_ERROR);
	ck_assert_ptr_nonnull(strstr(err, "--tmpdir: needs a value"));
	/* --cwd: a guest path, absolute (fsshim_check_cwd finds it in the grants) */
	ck_assert_ptr_null(o.cwd);
	ck_assert_int_eq(parse(&o, err, ARGV("--cwd", "/srv/../x", "img")), CLI_RUN);
	ck_assert_str_eq(o.cwd, "/srv/../x");
	ck_assert_int_eq(parse(&o, err, ARGV("--cwd=/", "img")), CLI_RUN);
	ck_assert_str_eq(o.cwd, "/");
	ck_assert_int_eq(parse(&o, err, ARGV("--cwd=srv", "img")), CLI_ERROR);
	ck_assert_str_eq(err, "--cwd srv: not an absolute guest path");
	ck_assert_int_eq(parse(&o, err, ARGV("--cwd=", "img")), CLI_ERROR);
	ck_assert_ptr_nonnull(strstr(err, "--cwd: needs a value"));
	/* --parent-pid (a child image's, from its launcher): a process ID */
	ck_assert_int_eq(o.parent_pid, 0);
	ck_assert_int_eq(parse(&o, err, ARGV("--parent-pid=77", "img")), CLI_RUN);
	ck_assert_int_eq(o.parent_pid, 77);
	ck_assert_int_eq(parse(&o, err, ARGV("--parent-pid", "0", "img")), CLI_ERROR);
	ck_assert_str_eq(err, "--parent-pid 0: not a process ID from 1 to 2147483647");
	ck_assert_int_eq(parse(&o, err, ARGV("--parent-pid=x", "img")), CLI_ERROR);
	ck_assert_int_eq(parse(&o, err, ARGV("img", "--cwd")), CLI_RUN); /* the guest's */
	ck_assert_ptr_null(o.cwd);
	/* --localtime (a foreign host's, from the native nonehost): 1..NH_PATH_MAX bytes */
	ck_assert_ptr_null(o.localtime);
	ck_assert_int_eq(parse(&o, err, ARGV("--localtime=../usr/share/zoneinfo/UTC", "img")),
	                 CLI_RUN);
	ck_assert_str_eq(o.localtime, "../usr/share/zoneinfo/UTC");
	ck_assert_int_eq(parse(&o, err, ARGV("--localtime=", "img")), CLI_ERROR);
	ck_assert_str_eq(err, "--localtime: the target must be 1 to 4096 bytes");
	ck_assert_int_eq(parse(&o, err, ARGV("img", "--localtime")), CLI_RUN); /* the guest's */
	ck_assert_int_eq(parse(&o, err, ARGV("--localtime")), CLI_ERROR);
	ck_assert_ptr_nonnull(strstr(err, "--localtime: needs a value"));
	ck_assert_int_eq(parse(&o, err, ARGV("--localtime", "", "img")), CLI_ERROR);
	ck_assert_str_eq(err, "--localtime: the target must be 1 to 4096 bytes");
	{
		static char longest[NH_PATH_MAX + 2];

		memset(longest, 'z', NH_PATH_MAX);
		ck_assert_int_eq(parse(&o, err, ARGV("--localtime", longest, "img")), CLI_RUN);
		longest[NH_PATH_MAX] = 'z';
		ck_assert_int_eq(parse(&o, err, ARGV("--localtime", longest, "img")), CLI_ERROR);
	}
}
END_TEST

START_TEST(test_proc_options)
{
	static char *a1[] = {"nonehost", "--max-procs", "8", "--allow-exec", "/usr/bin/git",
	                     "--allow-exec=/usr//bin/../bin/env", "img", "--allow-exec", "x", NULL};
	static char *a2[] = {"nonehost", "--max-procs=0", "img", NULL};
	static char *a3[] = {"nonehost", "--max-procs", "4096", "img", NULL};
	char *many[2 * LAUNCH_MAX_EXEC + 6];
	struct nh_opts o;
	char err[256];
	int n = 0;

	ck_assert_int_eq(parse(&o, err, a1), CLI_RUN);
	ck_assert_uint_eq(o.max_procs, 8);
	ck_assert_uint_eq(o.nallow_exec, 2);
	ck_assert_str_eq(o.allow_exec[0], "/usr/bin/git");
	ck_assert_str_eq(o.allow_exec[1], "/usr//bin/../bin/env"); /* kept as given */
	ck_assert_str_eq(o.argv[1], "--allow-exec"); /* after IMAGE: the guest's */
	ck_assert_int_eq(parse(&o, err, a2), CLI_RUN);
	ck_assert_uint_eq(o.max_procs, 0);
	ck_assert_uint_eq(o.nallow_exec, 0);
	ck_assert_int_eq(parse(&o, err, a3), CLI_RUN);
	ck_assert_uint_eq(o.max_procs, LAUNCH_PROCS_LIMIT);
	ck_assert_int_eq(parse(&o, err, ARGV("img")), CLI_RUN);
	ck_assert_uint_eq(o.max_procs, LAUNCH_MAX_PROCS);
	ck_assert_int_eq(o.launcher_fd, 0); /* none: the host forks its own */
	ck_assert_int_eq(parse(&o, err, ARGV("--launcher-fd=3", "img")), CLI_RUN);
	ck_assert_int_eq(o.launcher_fd, 3);
	ck_assert_int_eq(parse(&o, err, ARGV("--launcher-fd", "2147483647", "img")), CLI_RUN);
	ck_assert_int_eq(o.launcher_fd, 2147483647);
	/* --ifaces-fd (a foreign host's, from the native nonehost) */
	ck_assert_int_eq(o.ifaces_fd, 0);
	ck_assert_int_eq(parse(&o, err, ARGV("--ifaces-fd=12", "img")), CLI_RUN);
	ck_assert_int_eq(o.ifaces_fd, 12);
	ck_assert_int_eq(parse(&o, err, ARGV("--ifaces-fd", "2", "img")), CLI_ERROR);
	/* --lifeline-fd (a child image's, from its launcher: launcher_start checks it) */
	ck_assert_int_eq(o.lifeline_fd, 0);
	ck_assert_int_eq(parse(&o, err, ARGV("--lifeline-fd=4", "img")), CLI_RUN);
	ck_assert_int_eq(o.lifeline_fd, 4);
	/* --image-fd N:PATH, --own-root: a foreign host in the emulator's own root */
	ck_assert_int_eq(o.image_fd, 0);
	ck_assert(!o.own_root);
	ck_assert_int_eq(parse(&o, err, ARGV("--image-fd=9:/w/app.elf", "--own-root", "app")),
	                 CLI_RUN);
	ck_assert_int_eq(o.image_fd, 9);
	ck_assert_str_eq(o.image_real, "/w/app.elf");
	ck_assert_str_eq(o.image, "app");
	ck_assert(o.own_root);
	/* --signal-fd: the page of a supervisor outside (sbx_share_adopt checks
	 * the descriptor itself) */
	ck_assert_int_eq(o.signal_fd, 0);
	ck_assert_int_eq(parse(&o, err, ARGV("--signal-fd=3", "--tmpdir", "/t", "img")), CLI_RUN);
	ck_assert_int_eq(o.signal_fd, 3);
	ck_assert_int_eq(parse(&o, err, ARGV("--signal-fd", "2147483647", "img")), CLI_RUN);
	ck_assert_int_eq(o.signal_fd, 2147483647);
	ck_assert_int_eq(parse(&o, err, ARGV("--signal-fd=9", "--max-procs=0", "img")), CLI_RUN);
	ck_assert_int_eq(o.signal_fd, 9);
	ck_assert_int_eq(parse(&o, err, ARGV("img", "--signal-fd=9")), CLI_RUN);
	ck_assert_int_eq(o.signal_fd, 0); /* after IMAGE: the guest's */
	/* at most LAUNCH_MAX_EXEC programs */
	many[n++] = "nonehost";
	for (int i = 0; i < LAUNCH_MAX_EXEC; i++) {
		many[n++] = "--allow-exec";
		many[n++] = "/bin/true";
	}
	many[n++] = "img";
	many[n] = NULL;
	ck_assert_int_eq(parse(&o, err, many), CLI_RUN);
	ck_assert_uint_eq(o.nallow_exec, LAUNCH_MAX_EXEC);
	many[n - 1] = "--allow-exec";
	many[n++] = "/bin/false";
	many[n++] = "img";
	many[n] = NULL;
	ck_assert_int_eq(parse(&o, err, many), CLI_ERROR);
	ck_assert_str_eq(err, "--allow-exec /bin/false: too many programs (32 at most)");
}
END_TEST

/* A PATH longer than NH_PATH_MAX: one line, cut. */
START_TEST(test_long_exec)
{
	static char path[NH_PATH_MAX + 2];
	char *argv[] = {"nonehost", "--allow-exec", path, "img", NULL};
	struct nh_opts o;
	char err[256];

	memset(path, 'a', NH_PATH_MAX + 1);
	path[0] = '/';
	ck_assert_int_eq(parse(&o, err, argv), CLI_ERROR);
	ck_assert_ptr_nonnull(strstr(err, "...: longer than 4096 bytes"));
	path[NH_PATH_MAX] = '\0';
	ck_assert_int_eq(parse(&o, err, argv), CLI_RUN);
}
END_TEST

START_TEST(test_errors)
{
	static const struct {
		char *argv[6];
		const char *want;
	} t[] = {
		{{"nonehost", NULL}, "no IMAGE given"},
		{{"nonehost", "run", NULL}, "no IMAGE given"},
		{{"nonehost", "--trace", NULL}, "no IMAGE given"},
		{{"nonehost", "--bogus", "img", NULL}, "--bogus: unknown option"},
		{{"nonehost", "--memory", NULL}, "--memory: needs a value"},
		{{"nonehost", "--memory", "1M", "img", NULL}, "--memory 1M: too small"},
		{{"nonehost", "--memory", "64T", "img", NULL}, "--memory 64T: too large"},
		{{"nonehost", "--memory", "16777217", "img", NULL}, "not a multiple of the page size"},
		{{"nonehost", "--memory=lots", "img", NULL}, "--memory lots: not a size"},
		{{"nonehost", "--dir", NULL}, "--dir: needs a value"},
		{{"nonehost", "--dir", "", "img", NULL}, "--dir : HOST is empty"},
		{{"nonehost", "--dir", "/a:b", "img", NULL}, "--dir /a:b: GUEST must be an absolute path"},
		{{"nonehost", "--dir=/a:/b:rx", "img", NULL}, "--dir /a:/b:rx: the mode must be ro or rw"},
		{{"nonehost", "--dir", "/a:/b:rw:x", "img", NULL}, "too many ':'"},
		{{"nonehost", "--max-files", NULL}, "--max-files: needs a value"},
		{{"nonehost", "--max-files", "-1", "img", NULL}, "--max-files -1: not a number from 0 to 65536"},
		{{"nonehost", "--max-files=65537", "img", NULL}, "--max-files 65537: not a number"},
		{{"nonehost", "--max-files", "99999999999999999999", "img", NULL}, "not a number"},
		{{"nonehost", "--max-procs", NULL}, "--max-procs: needs a value"},
		{{"nonehost", "--max-procs", "4097", "img", NULL},
		 "--max-procs 4097: not a number from 0 to 4096"},
		{{"nonehost", "--max-procs=-1", "img", NULL}, "--max-procs -1: not a number"},
		{{"nonehost", "--max-procs", "", "img", NULL}, "--max-procs : not a number"},
		{{"nonehost", "--max-procs", "8x", "img", NULL}, "--max-procs 8x: not a number"},
		{{"nonehost", "--launcher-fd", NULL}, "--launcher-fd: needs a value"},
		{{"nonehost", "--image-fd=9", "img", NULL}, "--image-fd 9: not N:PATH"},
		{{"nonehost", "--image-fd=9:rel", "img", NULL}, "--image-fd 9:rel: not N:PATH"},
		{{"nonehost", "--image-fd=2:/x", "img", NULL},
		 "--image-fd 2: not a descriptor number from 3"},
		{{"nonehost", "--launcher-fd=2", "img", NULL},
		 "--launcher-fd 2: not a descriptor number from 3 to 2147483647"},
		{{"nonehost", "--launcher-fd", "2147483648", "img", NULL}, "--launcher-fd 2147483648: not"},
		{{"nonehost", "--launcher-fd=x", "img", NULL}, "--launcher-fd x: not a descriptor"},
		{{"nonehost", "--launcher-fd=5", "--max-procs=0", "img", NULL},
		 "--launcher-fd 5: a launcher serves processes, and --max-procs 0 allows none"},
		{{"nonehost", "--lifeline-fd", NULL}, "--lifeline-fd: needs a value (a descriptor number)"},
		{{"nonehost", "--lifeline-fd=2", "img", NULL},
		 "--lifeline-fd 2: not a descriptor number from 3 to 2147483647"},
		{{"nonehost", "--inherit-fds=6", "--lifeline-fd=5", "img", NULL},
		 "--inherit-fds 6: --launcher-fd, --signal-fd, --image-fd or --lifeline-fd lies among "
		 "the descriptors 3..5"},
		{{"nonehost", "--signal-fd", NULL}, "--signal-fd: needs a value (a descriptor number)"},
		{{"nonehost", "--signal-fd=2", "img", NULL},
		 "--signal-fd 2: not a descriptor number from 3 to 2147483647"},
		{{"nonehost", "--signal-fd", "2147483648", "img", NULL}, "--signal-fd 2147483648: not"},
		{{"nonehost", "--signal-fd=", "img", NULL}, "--signal-fd : not a descriptor"},
		{{"nonehost", "--signal-fd=-4", "img", NULL}, "--signal-fd -4: not a descriptor"},
		{{"nonehost", "--signal-fd", "7x", "img", NULL}, "--signal-fd 7x: not a descriptor"},
		{{"nonehost", "--signal-fd=5", "--isolate", "img", NULL},
		 "--signal-fd 5: not with --isolate (its supervisor has a signal page of its own)"},
		{{"nonehost", "--isolate", "--signal-fd", "5", NULL}, "--signal-fd 5: not with --isolate"},
		{{"nonehost", "--allow-exec", NULL}, "--allow-exec: needs a value (an absolute path"},
		{{"nonehost", "--allow-exec", "git", "img", NULL},
		 "--allow-exec git: not an absolute path (e.g. /usr/bin/git)"},
		{{"nonehost", "--allow-exec=", "img", NULL}, "--allow-exec : not an absolute path"},
		{{"nonehost", "--allow-exec=/bin/sh", "--max-procs", "0", "img", NULL},
		 "--allow-exec /bin/sh: no process can start with --max-procs 0"},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct nh_opts o;
		char err[256];

		ck_assert_int_eq(parse(&o, err, (char **)t[i].argv), CLI_ERROR);
		ck_assert_msg(strstr(err, t[i].want) != NULL, "case %zu: \"%s\" lacks \"%s\"", i, err,
		              t[i].want);
	}
}
END_TEST

Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_sizes);
	tcase_add_test(tc, test_run_forms);
	tcase_add_test(tc, test_help_version);
	tcase_add_test(tc, test_policy_isolate);
	tcase_add_test(tc, test_fs_options);
	tcase_add_test(tc, test_proc_options);
	tcase_add_test(tc, test_long_exec);
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	return s;
}
