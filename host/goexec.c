/*
 * goexec.c - nonehost run as go_none_<arch>_exec: the exec wrapper the go
 * command uses inside an image.
 *
 * A GOOS=none test may run the go tool (--allow-exec GOROOT/bin/go, which
 * scripts/go_none_amd64_exec grants), and "go run" or "go test" there
 * build GOOS=none programs and run them through go_none_<arch>_exec found
 * on PATH. That go command runs in the launcher's Landlock domain, where
 * nothing of the system may execute but nonehost itself (sandbox/README.md,
 * "Processes"): the script wrapper cannot, its shell cannot. So nonehost,
 * started by that name (a link to it: build/goexec/ in the checkout,
 * lib/nonehost/goexec/ installed; the script puts the directory first on
 * the image's PATH), is the wrapper there.
 *
 * Contract:
 *   goexec_named(argv0)  argv0's last element is go_none_<arch>_exec, for
 *       any <arch> (a foreign image goes to qemu-user as always).
 *   goexec_cli_parse()   "go_none_<arch>_exec IMAGE ARGS..." is parsed as
 *       "nonehost run WORDS IMAGE ARGS...". WORDS: inside an image, the
 *       words of NONEHOST_CHILD_FLAGS, which the launcher gives a granted
 *       host program (launcher.h, launch_program_envp): the options a child
 *       image of the image that ran the go command gets (its grants, its
 *       TMPDIR as --tmpdir, limits, network), so the program runs as that
 *       image's child would: it sees the test data, the test binary a
 *       cmd/bisect runs, the TMPDIR holding the go command's work
 *       directory; split on spaces and tabs, at most LAUNCH_MAX_WORDS, only
 *       options (an error otherwise: one line, 125, naming
 *       NONEHOST_CHILD_FLAGS). Elsewhere (no NONEHOST_CHILD_FLAGS): --dir
 *       $GOROOT:ro and --dir $TMPDIR:rw, each only when set, absolute and
 *       free of ':' (a --dir separator). The current directory (the
 *       package's) is granted read-only as always; the network is none. A
 *       first argument that is an option ("-h", "--version") is parsed as
 *       nonehost's own. Nothing here widens anything: the kernel bounds this
 *       nonehost to its caller's domain whatever it grants.
 *       passed > 3 adds --inherit-fds=passed: the image gets descriptors
 *       3..passed-1 as exec would hand them on (a program "go run" starts
 *       gets what the go command was given: os/exec's ExtraFiles of the
 *       image that ran it, as go-systemd's socket-activation tests do).
 *   goexec_passed_fds()  one past the highest descriptor open among
 *       3..NH_SPAWN_MAX_FDS-1 (what the go command left open across its
 *       exec: its own are close-on-exec, and none is opened before this
 *       runs), 0 if none is.
 */
#include <fcntl.h>
#include <string.h>

#include "host.h"

bool goexec_named(const char *argv0)
{
	const char *base = strrchr(argv0, '/');
	size_t n;

	base = base != NULL ? base + 1 : argv0;
	n = strlen(base);
	return n > strlen("go_none__exec") && strncmp(base, "go_none_", 8) == 0 &&
	       strcmp(base + n - 5, "_exec") == 0;
}

/* "PATH:suffix" into buf if PATH (from the environment) can be a --dir. */
static bool dir_word(const char *path, const char *suffix, char *buf, size_t len)
{
	return path != NULL && path[0] == '/' && strchr(path, ':') == NULL &&
	       (size_t)snprintf(buf, len, "%s:%s", path, suffix) < len;
}

int goexec_passed_fds(void)
{
	int top = 0;

	for (int fd = 3; fd < NH_SPAWN_MAX_FDS; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			top = fd + 1;
	return top;
}

enum cli_action goexec_cli_parse(int argc, char **argv, const char *flags, const char *goroot,
                                 const char *tmpdir, int passed, struct nh_opts *o, char *err,
                                 size_t errlen)
{
	/* --dir values stay pointers into the words: static, not on the stack */
	static char buf[LAUNCH_WORDS_BYTES], root_word[NH_PATH_MAX + 8], tmp_word[NH_PATH_MAX + 8];
	static char *words[LAUNCH_MAX_WORDS], inherit_word[32];
	const char *inherit = NULL;
	int n = 0;

	if (argc < 2 || argv[1][0] == '-')
		return cli_parse(argc, argv, o, err, errlen);
	if (passed > 3) {
		snprintf(inherit_word, sizeof(inherit_word), "--inherit-fds=%d", passed);
		inherit = inherit_word;
	}
	if (flags != NULL)
		return cli_parse_env("NONEHOST_CHILD_FLAGS", flags, inherit, buf, sizeof(buf), words,
		                     LAUNCH_MAX_WORDS, argc, argv, o, err, errlen);
	if (inherit != NULL)
		words[n++] = inherit_word;
	if (dir_word(goroot, "ro", root_word, sizeof(root_word))) {
		words[n++] = "--dir";
		words[n++] = root_word;
	}
	if (dir_word(tmpdir, "rw", tmp_word, sizeof(tmp_word))) {
		words[n++] = "--dir";
		words[n++] = tmp_word;
	}
	return cli_parse_with(n, words, "go_none_exec", argc, argv, o, err, errlen);
}
