/*
 * fuzz.h - what every fuzz target shares (tests/fuzz/README.md).
 *
 * A target is one .c file defining LLVMFuzzerTestOneInput (and, when it
 * needs one-time set-up, LLVMFuzzerInitialize). It is linked twice, by
 * clang: with libFuzzer for `make fuzz`, and against replay.c, which feeds
 * it the committed inputs, for `make check-fuzz` (part of make test).
 * Both run under ASan and UBSan; a broken invariant is a crash too
 * (FUZZ_CHECK), so libFuzzer keeps the input that shows it.
 */
#ifndef NONEHOST_FUZZ_H
#define NONEHOST_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Valid inputs of a target, made from the structures they describe (so they
 * follow a change of layout), each passed to emit under a name: the start
 * of its corpus (`replay_<target> --seeds DIR` writes them). */
typedef void fuzz_emit_fn(const char *name, const void *data, size_t len);
void fuzz_seeds(fuzz_emit_fn *emit);

/* An invariant of the code under test: on failure say which, and abort. */
#define FUZZ_CHECK(cond, ...)                                                      \
	do {                                                                       \
		if (!(cond)) {                                                     \
			fprintf(stderr, "fuzz: %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                              \
			fputc('\n', stderr);                                       \
			abort();                                                   \
		}                                                                  \
	} while (0)

/* FUZZ_TRACE set: the targets that run sequences say each step on stderr
 * (replay_<target> INPUT, to read what an input does). */
extern bool fuzz_trace;

/* support.c: empty directory fd (which it closes), whatever its modes; a new
 * file name in dir holding s. An invariant breaks when they cannot. */
void fuzz_empty_dir(int fd);
void fuzz_put(int dir, const char *name, const char *s);
/* A canary file at path, beside what a target works on: made once, then
 * checked (its bytes, mode 0644, one link) after every input. */
void fuzz_canary_make(const char *path);
void fuzz_canary_check(const char *path);
/* mkdtemp of template, the directory a target works in, removed with all
 * it holds when the process exits. */
void fuzz_workdir(char *template);

/* Bytes taken off the front of an input: the target's choices, then its
 * data. Past the end every read is zero. */
struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

static inline uint8_t fuzz_byte(struct fuzz_in *in)
{
	uint8_t b = 0;

	if (in->n > 0) {
		b = in->p[0];
		in->p++;
		in->n--;
	}
	return b;
}

static inline uint32_t fuzz_u32(struct fuzz_in *in)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v |= (uint32_t)fuzz_byte(in) << (8 * i);
	return v;
}

#endif
