/*
 * replay.c - runs a fuzz target on the inputs named, without libFuzzer:
 * `make check-fuzz` links each target against this and feeds it the
 * committed inputs (tests/fuzz/README.md).
 *
 *   replay_<target> PATH...       each PATH a file, or a directory whose
 *                                 files (not recursively) are taken in name
 *                                 order
 *   replay_<target> --seeds DIR   writes the target's seeds (fuzz_seeds)
 *                                 into DIR, made if missing
 *
 * Prints "<target>: N inputs" and exits 0; a target that breaks an
 * invariant aborts (FUZZ_CHECK, or the sanitizers) with the input's name
 * on stderr first. Exit 2: an input cannot be read, or a seed written.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);
__attribute__((weak)) void fuzz_seeds(fuzz_emit_fn *emit);
void __sanitizer_set_death_callback(void (*callback)(void));

static unsigned ran;
static const char *current; /* the input being run */

/* Name the input a failure is about: ASan and UBSan call this before they
 * end the process, abort() (FUZZ_CHECK) raises SIGABRT. */
static void say_input(void)
{
	if (current != NULL) {
		fputs("replay: the failing input: ", stderr);
		fputs(current, stderr);
		fputc('\n', stderr);
	}
}

static void on_abort(int sig)
{
	say_input();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	uint8_t *buf;
	size_t len;

	if (f == NULL || fstat(fileno(f), &st) != 0) {
		fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
		exit(2);
	}
	len = (size_t)st.st_size;
	/* exactly the input's size: the sanitizers see a read past its end */
	buf = malloc(len ? len : 1);
	if (buf == NULL || fread(buf, 1, len, f) != len) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		exit(2);
	}
	fclose(f);
	current = path;
	LLVMFuzzerTestOneInput(buf, len);
	current = NULL;
	free(buf);
	ran++;
}

static const char *seed_dir;
static unsigned seeds;

static void write_seed(const char *name, const void *data, size_t len)
{
	char path[4096];
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/%s", seed_dir, name) >= (int)sizeof(path) ||
	    (f = fopen(path, "wb")) == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "replay: cannot write the seed %s/%s: %s\n", seed_dir, name,
		        strerror(errno));
		exit(2);
	}
	seeds++;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];

	if (strncmp(name, "replay_", 7) == 0)
		name += 7; /* the target's name */

	if (argc == 3 && strcmp(argv[1], "--seeds") == 0) {
		seed_dir = argv[2];
		if (mkdir(seed_dir, 0755) != 0 && errno != EEXIST) {
			fprintf(stderr, "replay: cannot make %s: %s\n", seed_dir, strerror(errno));
			return 2;
		}
		if (fuzz_seeds != NULL)
			fuzz_seeds(write_seed);
		printf("%s: %u seeds in %s\n", name, seeds, seed_dir);
		return 0;
	}
	__sanitizer_set_death_callback(say_input);
	signal(SIGABRT, on_abort);
	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat st;
		struct dirent **ents;
		int n;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			return 2;
		}
		if (!S_ISDIR(st.st_mode)) {
			run_file(argv[i]);
			continue;
		}
		n = scandir(argv[i], &ents, NULL, by_name);
		if (n < 0) {
			fprintf(stderr, "replay: cannot list %s: %s\n", argv[i], strerror(errno));
			return 2;
		}
		for (int k = 0; k < n; k++) {
			char path[4096];

			if (ents[k]->d_name[0] != '.' &&
			    snprintf(path, sizeof(path), "%s/%s", argv[i], ents[k]->d_name) <
			            (int)sizeof(path) &&
			    stat(path, &st) == 0 && S_ISREG(st.st_mode))
				run_file(path);
			free(ents[k]);
		}
		free(ents);
	}
	printf("%s: %u input%s\n", name, ran, ran == 1 ? "" : "s");
	return 0;
}
