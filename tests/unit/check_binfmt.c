/*
 * check_binfmt.c - unit tests of host/binfmt.c: the binfmt_misc registration
 * line (exact), the magic and mask against real Linux executables (none may
 * match), NONEHOST_FLAGS: its splitting, when it applies, and its errors.
 */
#include <check.h>
#include <elf.h>
#include <fcntl.h>
#include <string.h>

#include "host.h"
#include "unit.h"

#define AMD64_LINE                                                                        \
	":nonehost-amd64:M:0:"                                                            \
	"\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\xff\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00" \
	"\\x02\\x00\\x3e\\x00:"                                                           \
	"\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00" \
	"\\xff\\xff\\xff\\xff:/usr/local/bin/nonehost:F"

static const struct binfmt_arch amd64 = {"amd64", ELFCLASS64, EM_X86_64};

START_TEST(test_line)
{
	static const char *bad[] = {"nonehost", "./nonehost", "/opt/a:b/nonehost", "/opt/a\nb", ""};
	char line[2048], err[256], big[2100];

	ck_assert_ptr_nonnull(binfmt_host_arch());
	ck_assert_str_eq(binfmt_host_arch()->name, "amd64");
	ck_assert_uint_eq(binfmt_host_arch()->machine, EM_X86_64);
	ck_assert(binfmt_line(&amd64, "/usr/local/bin/nonehost", line, sizeof(line), err, sizeof(err)));
	ck_assert_str_eq(line, AMD64_LINE);
	/* the buffer is too small by one byte, then just right */
	ck_assert(!binfmt_line(&amd64, "/usr/local/bin/nonehost", line, sizeof(AMD64_LINE) - 1,
	                       err, sizeof(err)));
	ck_assert(binfmt_line(&amd64, "/usr/local/bin/nonehost", line, sizeof(AMD64_LINE), err,
	                      sizeof(err)));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(!binfmt_line(&amd64, bad[i], line, sizeof(line), err, sizeof(err)),
		              "\"%s\"", bad[i]);
		ck_assert_msg(strstr(err, "absolute path without ':'") != NULL, "%s", err);
	}
	/* the kernel takes at most 1920 bytes */
	big[0] = '/';
	memset(big + 1, 'a', sizeof(big) - 2);
	big[sizeof(big) - 1] = '\0';
	ck_assert(!binfmt_line(&amd64, big, line, sizeof(line), err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "too long for a binfmt_misc entry"));
}
END_TEST

/* Whether hdr matches the entry, as the kernel decides: (byte ^ magic) & mask. */
static bool matches(const uint8_t hdr[BINFMT_HDR_LEN])
{
	uint8_t magic[BINFMT_HDR_LEN], mask[BINFMT_HDR_LEN];

	binfmt_magic(&amd64, magic, mask);
	for (int i = 0; i < BINFMT_HDR_LEN; i++)
		if ((hdr[i] ^ magic[i]) & mask[i])
			return false;
	return true;
}

START_TEST(test_mask)
{
	static const char *linux_exes[] = {"/bin/true", "/bin/sh", "/proc/self/exe"};
	uint8_t hdr[BINFMT_HDR_LEN], magic[BINFMT_HDR_LEN], mask[BINFMT_HDR_LEN];
	int checked = 0;

	binfmt_magic(&amd64, magic, mask);
	ck_assert(matches(magic));
	for (size_t i = 0; i < sizeof(linux_exes) / sizeof(linux_exes[0]); i++) {
		int fd = open(linux_exes[i], O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			continue;
		ck_assert_int_eq(read(fd, hdr, sizeof(hdr)), sizeof(hdr));
		close(fd);
		ck_assert_msg(memcmp(hdr, ELFMAG, SELFMAG) == 0, "%s is not ELF", linux_exes[i]);
		ck_assert_msg(hdr[EI_OSABI] != NH_ELFOSABI_STANDALONE, "%s", linux_exes[i]);
		ck_assert_msg(!matches(hdr), "%s (a Linux executable) matches the entry",
		              linux_exes[i]);
		/* the same header marked GOOS=none, as an executable, matches */
		hdr[EI_OSABI] = NH_ELFOSABI_STANDALONE;
		hdr[EI_NIDENT] = ET_EXEC;
		hdr[EI_NIDENT + 1] = 0;
		ck_assert_msg(matches(hdr), "%s marked OSABI 255, ET_EXEC", linux_exes[i]);
		hdr[EI_ABIVERSION] = 7; /* not looked at */
		ck_assert(matches(hdr));
		/* and each field the mask covers decides */
		hdr[EI_OSABI] = ELFOSABI_GNU;
		ck_assert(!matches(hdr));
		hdr[EI_OSABI] = NH_ELFOSABI_STANDALONE;
		hdr[EI_NIDENT] = ET_DYN;
		ck_assert(!matches(hdr));
		hdr[EI_NIDENT] = ET_EXEC;
		hdr[EI_NIDENT + 2] = EM_AARCH64;
		ck_assert(!matches(hdr));
		hdr[EI_NIDENT + 2] = EM_X86_64;
		hdr[EI_CLASS] = ELFCLASS32;
		ck_assert(!matches(hdr));
		hdr[EI_CLASS] = ELFCLASS64;
		hdr[EI_DATA] = ELFDATA2MSB;
		ck_assert(!matches(hdr));
		checked++;
	}
	ck_assert_int_gt(checked, 0);
	/* the mask covers exactly magic, class, data, version, OSABI, type, machine */
	for (int i = 0; i < BINFMT_HDR_LEN; i++)
		ck_assert_uint_eq(mask[i], i <= EI_OSABI || i >= EI_NIDENT ? 0xff : 0);
}
END_TEST

START_TEST(test_split)
{
	static const struct {
		const char *in;
		int n;
		const char *w[4];
	} t[] = {
		{"", 0, {NULL}},
		{" \t  ", 0, {NULL}},
		{"--trace", 1, {"--trace"}},
		{" --dir /srv:ro\t--net  host ", 4, {"--dir", "/srv:ro", "--net", "host"}},
		{"--dir='/a b'", 2, {"--dir='/a", "b'"}}, /* no quoting */
		{"a\nb c", 2, {"a\nb", "c"}},            /* only spaces and tabs split */
	};
	char buf[256], *w[BINFMT_FLAGS_MAX + 1];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		strcpy(buf, t[i].in);
		ck_assert_int_eq(binfmt_split(buf, w, 4), t[i].n);
		for (int k = 0; k < t[i].n; k++)
			ck_assert_str_eq(w[k], t[i].w[k]);
	}
	strcpy(buf, "a b c d");
	ck_assert_int_eq(binfmt_split(buf, w, 4), 4);
	strcpy(buf, "a b c d e");
	ck_assert_int_eq(binfmt_split(buf, w, 4), -1);
	strcpy(buf, "a b c d ");
	ck_assert_int_eq(binfmt_split(buf, w, 4), 4);
}
END_TEST

static enum cli_action parse(struct nh_opts *o, char *err, const char *flags, char **argv)
{
	int argc = 0;

	while (argv[argc] != NULL)
		argc++;
	return binfmt_cli_parse(argc, argv, flags, o, err, 256);
}

START_TEST(test_flags)
{
	static char *kernel[] = {"nonehost", "/srv/app.elf", "-x", "--trace", NULL};
	static char *run[] = {"nonehost", "run", "/srv/app.elf", NULL};
	static char *opt[] = {"nonehost", "--memory", "32M", "/srv/app.elf", NULL};
	struct nh_opts o;
	char err[256];

	/* the kernel's form: the words go before IMAGE */
	ck_assert_int_eq(parse(&o, err, "--trace\t--memory 64M  --dir /srv:ro --net private", kernel),
	                 CLI_RUN);
	ck_assert(o.trace);
	ck_assert_uint_eq(o.memory, UINT64_C(64) << 20);
	ck_assert_uint_eq(o.ndirs, 1);
	ck_assert_str_eq(o.dir[0], "/srv:ro");
	ck_assert_ptr_eq(o.image, kernel[1]);
	ck_assert_int_eq(o.argc, 3);
	ck_assert_str_eq(o.argv[2], "--trace"); /* the guest's, untouched */
	ck_assert_int_eq(parse(&o, err, "", kernel), CLI_RUN);
	ck_assert(!o.trace);
	ck_assert_int_eq(parse(&o, err, NULL, kernel), CLI_RUN);
	ck_assert_int_eq(parse(&o, err, "--help", kernel), CLI_HELP);
	ck_assert_int_eq(parse(&o, err, "--policy", kernel), CLI_POLICY);
	ck_assert_ptr_eq(o.image, kernel[1]);

	/* not that form: NONEHOST_FLAGS is not read */
	ck_assert_int_eq(parse(&o, err, "--frobnicate", run), CLI_RUN);
	ck_assert_ptr_eq(o.image, run[2]);
	ck_assert_int_eq(parse(&o, err, "--trace", opt), CLI_RUN);
	ck_assert(!o.trace);
	ck_assert_uint_eq(o.memory, UINT64_C(32) << 20);
}
END_TEST

START_TEST(test_flags_errors)
{
	static char *kernel[] = {"nonehost", "/srv/app.elf", NULL};
	static const struct {
		const char *flags, *err;
	} t[] = {
		{"--frob", "NONEHOST_FLAGS: --frob: unknown option (see nonehost --help)"},
		{"--trace app.elf", "NONEHOST_FLAGS: app.elf: not an option (IMAGE and its ARGS come "
		                    "from the command line)"},
		{"--", "NONEHOST_FLAGS: --: not an option (IMAGE and its ARGS come from the command "
		       "line)"},
		{"--memory", "NONEHOST_FLAGS: --memory: needs a value (e.g. --memory 512M)"},
		{"--memory 1M", "NONEHOST_FLAGS: --memory 1M: too small (1048576 bytes, minimum 16M)"},
		{"--dir", "NONEHOST_FLAGS: --dir: needs a value (HOST[:GUEST][:ro|rw])"},
		{"--net-bind 80", "NONEHOST_FLAGS: --net-bind 80: needs --net host"},
	};
	struct nh_opts o;
	char err[256], many[BINFMT_FLAGS_MAX * 8 + 16] = "", huge[5000];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_int_eq(parse(&o, err, t[i].flags, kernel), CLI_ERROR);
		ck_assert_msg(strncmp(err, t[i].err, strlen(t[i].err)) == 0, "\"%s\": %s",
		              t[i].flags, err);
	}
	for (int i = 0; i <= BINFMT_FLAGS_MAX; i++)
		strcat(many, "--trace ");
	ck_assert_int_eq(parse(&o, err, many, kernel), CLI_ERROR);
	ck_assert_str_eq(err, "NONEHOST_FLAGS: more than 64 words");
	memset(huge, ' ', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	ck_assert_int_eq(parse(&o, err, huge, kernel), CLI_ERROR);
	ck_assert_str_eq(err, "NONEHOST_FLAGS: too long (4999 bytes, at most 4095)");
}
END_TEST

/* nonehost as go_none_<arch>_exec (goexec.c): the name, then GOROOT read-only
 * and TMPDIR read-write before IMAGE. */
START_TEST(test_goexec)
{
	static char *go[] = {"/b/goexec/go_none_arm64_exec", "/tmp/go-build1/b001/x.test", "-test.v",
	                     NULL};
	static char *help[] = {"go_none_amd64_exec", "--help", NULL};
	static char *bare[] = {"go_none_amd64_exec", NULL};
	struct nh_opts o;
	char err[256];

	ck_assert(goexec_named("go_none_amd64_exec"));
	ck_assert(goexec_named("/usr/lib/nonehost/goexec/go_none_riscv64_exec"));
	ck_assert(!goexec_named("nonehost"));
	ck_assert(!goexec_named("go_none__exec"));
	ck_assert(!goexec_named("go_none_amd64_exec.sh"));
	ck_assert(!goexec_named("/go_none_amd64_exec/nonehost"));

	ck_assert_int_eq(
	        goexec_cli_parse(3, go, NULL, "/usr/lib/go", "/tmp/nonehost.x/tmp", 0, &o, err, 256),
	        CLI_RUN);
	ck_assert_uint_eq(o.ndirs, 2);
	ck_assert_str_eq(o.dir[0], "/usr/lib/go:ro");
	ck_assert_str_eq(o.dir[1], "/tmp/nonehost.x/tmp:rw");
	ck_assert_ptr_eq(o.image, go[1]);
	ck_assert_int_eq(o.argc, 2);
	ck_assert_str_eq(o.argv[1], "-test.v");
	/* unset, relative or with a ':' (a --dir separator): not granted */
	ck_assert_int_eq(goexec_cli_parse(3, go, NULL, NULL, "tmp", 0, &o, err, 256), CLI_RUN);
	ck_assert_uint_eq(o.ndirs, 0);
	ck_assert_int_eq(goexec_cli_parse(3, go, NULL, "/a:b", "/t", 0, &o, err, 256), CLI_RUN);
	ck_assert_uint_eq(o.ndirs, 1);
	ck_assert_str_eq(o.dir[0], "/t:rw");
	/* inside an image: the launcher's NONEHOST_CHILD_FLAGS, GOROOT and TMPDIR not looked at */
	ck_assert_int_eq(goexec_cli_parse(3, go, "--dir=/srv:/data:ro  --dir=/w:/w:rw\t"
	                                  "--tmpdir=/tmp/nonehost.A/tmp", "/g", "/t", 0, &o, err, 256),
	                 CLI_RUN);
	ck_assert_uint_eq(o.ndirs, 2);
	ck_assert_str_eq(o.dir[0], "/srv:/data:ro");
	ck_assert_str_eq(o.dir[1], "/w:/w:rw");
	ck_assert_str_eq(o.tmpdir, "/tmp/nonehost.A/tmp");
	ck_assert_ptr_eq(o.image, go[1]);
	ck_assert_int_eq(goexec_cli_parse(3, go, "", "/g", "/t", 0, &o, err, 256), CLI_RUN);
	ck_assert_uint_eq(o.ndirs, 0);
	ck_assert_int_eq(goexec_cli_parse(3, go, "--dir=/a:ro /x", NULL, NULL, 0, &o, err, 256),
	                 CLI_ERROR);
	ck_assert_str_eq(err, "NONEHOST_CHILD_FLAGS: /x: not an option (IMAGE and its ARGS come from "
	                      "the command line)");
	/* descriptors the go command passed on: --inherit-fds, after the words */
	ck_assert_int_eq(goexec_cli_parse(3, go, NULL, "/g", "/t", 5, &o, err, 256), CLI_RUN);
	ck_assert_int_eq(o.inherit_fds, 5);
	ck_assert_uint_eq(o.ndirs, 2);
	ck_assert_int_eq(goexec_cli_parse(3, go, "--dir=/w:/w:rw", "/g", "/t", NH_SPAWN_MAX_FDS, &o,
	                                  err, 256),
	                 CLI_RUN);
	ck_assert_int_eq(o.inherit_fds, NH_SPAWN_MAX_FDS);
	ck_assert_str_eq(o.dir[0], "/w:/w:rw");
	ck_assert_int_eq(goexec_cli_parse(3, go, NULL, "/g", "/t", 3, &o, err, 256), CLI_RUN);
	ck_assert_int_eq(o.inherit_fds, 0); /* none open above 2 */
	/* an option first: nonehost's own command line */
	ck_assert_int_eq(goexec_cli_parse(2, help, NULL, "/g", "/t", 0, &o, err, 256), CLI_HELP);
	ck_assert_int_eq(goexec_cli_parse(1, bare, NULL, "/g", "/t", 0, &o, err, 256), CLI_ERROR);
}
END_TEST

Suite *binfmt_suite(void)
{
	Suite *s = suite_create("binfmt");
	TCase *tc = tcase_create("binfmt");

	tcase_add_test(tc, test_line);
	tcase_add_test(tc, test_mask);
	tcase_add_test(tc, test_split);
	tcase_add_test(tc, test_flags);
	tcase_add_test(tc, test_flags_errors);
	tcase_add_test(tc, test_goexec);
	suite_add_tcase(s, tc);
	return s;
}
