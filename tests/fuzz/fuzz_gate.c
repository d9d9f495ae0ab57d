/*
 * fuzz_gate.c - the gate as a hostile image calls it: gate_dispatch() with
 * the core, file and network ops and arguments of every kind the op table names
 * (host/gate.c: handles, guest strings and their lengths, pointers,
 * lengths, modes), good and bad: pointers at the edges of guest RAM, into
 * the stack's guard page, past RAM, unaligned; lengths of 0, one past the
 * string, past NH_PATH_MAX, past RAM; handles that were never open or were
 * closed; flags and modes with unknown bits.
 *
 * The host: a read-write grant at /data and a read-only one at /ro (small
 * trees, made again for every input), 16 handles at most, standard input
 * /dev/null (a READ of handle 0 would otherwise wait for input), the
 * console /dev/null as 1 and the fuzzer's stderr as 2, both put back after
 * every input (a CLOSE of 1 or 2 puts /dev/null there), --net private (a network
 * namespace of the fuzzer's own, only lo: every socket op is served; the
 * buffer the pointers point into holds loopback addresses, their lengths
 * and an option value), and processes: the fuzzer is the launcher at the
 * other end of the control socket, and answers each PROC_START (whose
 * struct nh_spawn the input builds: paths, strings and handles good or
 * bad) with a refusal, a child (its channel) or a malformed reply; and
 * MEM_PROTECT and MEM_RELEASE, whose window starts at the buffer's page, so
 * the ops meet a buffer they may not read or write (the host must refuse
 * it, never touch it: a fault would end the fuzzer), and MEM_MAP, of the
 * grants' files, over a zone of its own (map_at). Not called:
 * EXIT, IDLE (it waits), the console's WRITE and PRINTK, and FAULT,
 * PREEMPT, SIGNAL and RAISE, which install handlers or end the process.
 * Invariants, for every call and every input:
 *   the result is a value or -errno (-4095..-1): the ABI's, never junk;
 *   no sanitizer report (a read or write past a buffer of the host's);
 *   after closing every handle, the host holds exactly the descriptors it
 *   held before the input (no error path leaks one);
 *   nothing beside the grants changed (a canary directory's files);
 *   every page made readable and writable again leaves no range behind.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stddef.h>
#include <sys/un.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "host.h"

#define MEM      (UINT64_C(16) << 20)
#define MAX_CALLS 32

/* An input names an op by its index here: new ones go at the end, so that
 * the inputs kept in regress/gate/ still say what they said. */
static const uint64_t ops[] = {
	NH_OP_NANOTIME, NH_OP_WALLTIME, NH_OP_GETRANDOM, NH_OP_NOW,
	NH_OP_FS_OPEN, NH_OP_FS_CLOSE, NH_OP_FS_READ, NH_OP_FS_WRITE, NH_OP_FS_PREAD,
	NH_OP_FS_PWRITE, NH_OP_FS_SEEK, NH_OP_FS_STAT, NH_OP_FS_READDIR, NH_OP_FS_MKDIR,
	NH_OP_FS_UNLINK, NH_OP_FS_RENAME, NH_OP_FS_LINK, NH_OP_FS_SYMLINK, NH_OP_FS_READLINK,
	NH_OP_FS_CHMOD, NH_OP_FS_TRUNCATE, NH_OP_FS_FSYNC, NH_OP_FS_UTIMENS, NH_OP_FS_DUP,
	NH_OP_FS_CHOWN, NH_OP_NET_SOCKET, NH_OP_NET_BIND, NH_OP_NET_LISTEN, NH_OP_NET_ACCEPT,
	NH_OP_NET_CONNECT, NH_OP_NET_RECVFROM, NH_OP_NET_SENDTO, NH_OP_NET_SHUTDOWN,
	NH_OP_NET_GETSOCKOPT, NH_OP_NET_SETSOCKOPT, NH_OP_NET_SOCKNAME, NH_OP_NET_POLL,
	NH_OP_PROC_PIPE, 0x304 /* PROC_SELF's, gone */, NH_OP_PROC_START, NH_OP_PROC_WAIT,
	NH_OP_PROC_KILL, 0x0ff, NH_OP_FS_UMASK /* 0x116, a hole once */,
	NH_OP_NET_IFACES /* 0x20c, past the ops once */,
	NH_OP_FS_FLOCK, NH_OP_MEM_PROTECT, NH_OP_MEM_RELEASE, NH_OP_MEM_MAP,
};
#define NOPS (sizeof(ops) / sizeof(ops[0]))

/* Paths: names that lead somewhere here, and out. */
static const char *const names[] = {
	"data", "ro", "f", "d", "l", "x", "..", ".", "", "dev", "null", "zero", "new", "file",
	"up", "data",
};

static char T[64], CANARY[96];
static int launcher; /* the launcher's end of the control socket: the fuzzer answers */
static int console[3]; /* the fuzzer's own 1 and 2: a CLOSE of 1 or 2 puts /dev/null there */
static int devnull;    /* the guest's console 1 while an input runs (replay prints on 1) */
static uint64_t last_handle = 3;

/* Guest RAM: [ram_start, ram_end); the stack's guard page at guard_lo. */
static uint64_t scratch_at(uint64_t off)
{
	return nh_host.ram_start + 0x100000 + off;
}

/* The buffer every call may point into, filled afresh before each: an
 * IPv4 and an IPv6 address of loopback with their lengths (uint32, as
 * ACCEPT, RECVFROM and SOCKNAME take them), an int option value of 1, and
 * UTIMENS's two times from beyond what int64 nanoseconds say (the years
 * 2446 and 1493: Linux keeps them), a UNIX socket's address in the
 * read-write grant and its length. */
#define AT_ADDR4 0
#define AT_LEN4  64
#define AT_ADDR6 128
#define AT_LEN6  192
#define AT_INT   256
#define AT_TIMES 320
#define AT_UNIX  384 /* "/data/sock" */
#define AT_LENUN 500

static void fill(uint64_t buf, uint16_t port)
{
	struct sockaddr_in a4 = {.sin_family = AF_INET, .sin_port = htons(port),
	                         .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_port = htons(port),
	                          .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	uint32_t l4 = sizeof(a4), l6 = sizeof(a6);
	struct nh_timespec far[2] = {{INT64_C(15032385535), 0}, {-INT64_C(15032385535), 0}};
	struct sockaddr_un un = {.sun_family = AF_UNIX, .sun_path = "/data/sock"};
	uint32_t lun = (uint32_t)(offsetof(struct sockaddr_un, sun_path) + sizeof("/data/sock"));
	int one = 1;
	uint8_t *p = (uint8_t *)(uintptr_t)buf;

	memset(p, 0, 512);
	memcpy(p + AT_ADDR4, &a4, sizeof(a4));
	memcpy(p + AT_LEN4, &l4, sizeof(l4));
	memcpy(p + AT_ADDR6, &a6, sizeof(a6));
	memcpy(p + AT_LEN6, &l6, sizeof(l6));
	memcpy(p + AT_INT, &one, sizeof(one));
	memcpy(p + AT_TIMES, far, sizeof(far));
	memcpy(p + AT_UNIX, &un, sizeof(un));
	memcpy(p + AT_LENUN, &lun, sizeof(lun));
}

static uint64_t pointer(uint8_t b, uint64_t buf)
{
	const struct nh_host *h = &nh_host;

	switch (b % 18) {
	case 16: return buf + AT_UNIX;
	case 17: return buf + AT_LENUN;
	case 11: return buf + AT_LEN4;
	case 12: return buf + AT_ADDR6;
	case 13: return buf + AT_LEN6;
	case 14: return buf + AT_INT;
	case 15: return buf + AT_TIMES;
	case 0: return 0;
	case 1: return h->ram_start;
	case 2: return h->ram_end - 8;
	case 3: return h->ram_end - 1;
	case 4: return h->ram_end;
	case 5: return h->guard_lo;
	case 6: return h->guard_lo - 4;
	case 7: return UINT64_MAX - 7;
	case 8: return buf + 1; /* unaligned */
	case 9: return (uint64_t)(uintptr_t)&last_handle; /* host memory, not RAM */
	default: return buf;
	}
}

static uint64_t length(uint8_t b)
{
	static const uint64_t v[] = {0, 1, 7, 8, 80, 255, 256, 4096, 4097, 65536, MEM, UINT64_MAX};

	return v[b % (sizeof(v) / sizeof(v[0]))];
}

static uint64_t handle(uint8_t b)
{
	/* also families, socket types, option levels and names, how, backlogs */
	static const int64_t v[] = {NH_AT_ROOT, -1, 0, 1, 2, 3, 4, 5, 6, 9, 10, 13, 15, 16, 17,
	                            20, 41, 0x800, INT32_MAX, INT64_MIN};

	if (b < 96)
		return last_handle; /* the newest one, often */
	return (uint64_t)v[b % (sizeof(v) / sizeof(v[0]))];
}

static uint64_t mode(uint8_t b)
{
	static const uint64_t v[] = {0, 0644, 0755, 0700, 07777, 010000, UINT64_MAX,
	                             NH_O_RDONLY, NH_O_WRONLY | NH_O_CREAT, NH_O_RDWR | NH_O_TRUNC,
	                             NH_O_DIRECTORY, NH_O_RDWR | NH_O_APPEND | NH_O_SYNC,
	                             NH_O_CREAT | NH_O_EXCL, NH_O_NOFOLLOW, NH_AT_REMOVEDIR,
	                             NH_AT_SYMLINK_NOFOLLOW, 0x40000000, 3};

	return v[b % (sizeof(v) / sizeof(v[0]))];
}

static uint64_t lock_how(uint8_t b)
{
	static const uint64_t v[] = {NH_LOCK_SH, NH_LOCK_EX, NH_LOCK_UN, 0, NH_LOCK_SH | NH_LOCK_EX,
	                             NH_LOCK_EX | 4 /* LOCK_NB */, UINT64_MAX};

	return v[b % (sizeof(v) / sizeof(v[0]))];
}

/* MEM_PROTECT's and MEM_RELEASE's pages: the buffer's (the window of MEM_PROTECT starts
 * there: see LLVMFuzzerInitialize), the next, the page below (outside),
 * unaligned, the window's last page, the guard page, the stack, nowhere. */
static uint64_t protect_at(uint8_t b, uint64_t buf)
{
	const uint64_t v[] = {buf, buf + NH_PAGE_SIZE, buf - NH_PAGE_SIZE, buf + 1,
	                      nh_host.guard_lo - NH_PAGE_SIZE, nh_host.guard_lo,
	                      nh_host.stack_top - NH_PAGE_SIZE, 0, UINT64_MAX & ~(NH_PAGE_SIZE - 1)};

	return v[b % (sizeof(v) / sizeof(v[0]))];
}

/* MEM_MAP's pages: a zone 1 MiB above the buffer, which no pointer of
 * the other ops' lands in (only a length can reach it, and only the
 * kernel reads or writes that far: a file map's page past the end of its
 * file would otherwise fault in the host, as the ABI says it may), pages
 * further in it, unaligned, below the window, the guard page. The zone
 * gets fresh pages after every input (MAP_ZONE_PAGES: more than the
 * longest map that fits, 16 + 4096 + 65536 bytes). */
#define MAP_ZONE(buf) ((buf) + (UINT64_C(1) << 20))
#define MAP_ZONE_PAGES 48
static uint64_t map_at(uint8_t b, uint64_t buf)
{
	const uint64_t v[] = {MAP_ZONE(buf), MAP_ZONE(buf) + NH_PAGE_SIZE, MAP_ZONE(buf) + 1,
	                      buf - NH_PAGE_SIZE, MAP_ZONE(buf) + 16 * NH_PAGE_SIZE, nh_host.guard_lo};

	return v[b % (sizeof(v) / sizeof(v[0]))];
}

static uint64_t map_flags(uint8_t b)
{
	static const uint64_t v[] = {NH_MAP_SHARED, NH_MAP_PRIVATE, NH_MAP_ANON | NH_MAP_PRIVATE,
	                             NH_MAP_SHARED | NH_MAP_PRIVATE, NH_MAP_ANON, 0, 0x10 /* FIXED */,
	                             UINT64_MAX};

	return v[b % (sizeof(v) / sizeof(v[0]))];
}

static uint64_t prot_bits(uint8_t b)
{
	static const uint64_t v[] = {0, NH_PROT_READ, NH_PROT_WRITE, NH_PROT_READ | NH_PROT_WRITE,
	                             4 /* PROT_EXEC */, 7, 0x10, UINT64_MAX};

	return v[b % (sizeof(v) / sizeof(v[0]))];
}

/* A path written into guest RAM at at: its pointer; *len its length. */
static uint64_t path(struct fuzz_in *in, uint64_t at, uint64_t *len)
{
	uint8_t b = fuzz_byte(in);
	char *s = (char *)(uintptr_t)at;
	size_t n = 0;

	if (b & 0x80)
		s[n++] = '/';
	for (unsigned i = 0; i < 1 + (b & 3); i++) {
		const char *c = names[fuzz_byte(in) % (sizeof(names) / sizeof(names[0]))];

		if (i > 0)
			s[n++] = '/';
		memcpy(s + n, c, strlen(c));
		n += strlen(c);
	}
	s[n] = '\0';
	*len = n;
	switch ((b >> 2) & 7) {
	case 0: *len = n + 1; break;             /* the NUL inside */
	case 1: *len = NH_PATH_MAX + 1; break;
	case 2: return pointer(fuzz_byte(in), at); /* somewhere else */
	default: break;
	}
	return at;
}

/* PROC_START's struct nh_spawn, built in the buffer from the input: its
 * paths and strings good or bad, its handles the newest or any. */
#define AT_SPAWN 512
#define AT_STRS  640
#define AT_FDS   704
static uint64_t spawn_from(struct fuzz_in *in, uint64_t buf)
{
	struct nh_spawn sp = {0};
	struct nh_str strs[3];
	int64_t fds[4] = {(int64_t)handle(fuzz_byte(in)), 1, 2, -1};
	uint64_t len;
	char *arg = (char *)(uintptr_t)(buf + 800);

	/* a buffer MEM_PROTECT took access to: the op meets it as it is */
	if (!ram_writable(&nh_host, buf, NH_PAGE_SIZE))
		return buf + AT_SPAWN;
	strcpy(arg, "arg");
	sp.path = path(in, scratch_at(0x6000), &len);
	sp.pathlen = len;
	sp.dir = path(in, scratch_at(0x7000), &len);
	sp.dirlen = len;
	strs[0] = (struct nh_str){buf + 800, 3};
	strs[1] = (struct nh_str){pointer(fuzz_byte(in), buf), length(fuzz_byte(in))};
	strs[2] = (struct nh_str){buf + 800, 0};
	sp.argv = buf + AT_STRS;
	sp.argc = fuzz_byte(in) % 4;
	sp.envv = buf + AT_STRS + sizeof(struct nh_str);
	sp.envc = fuzz_byte(in) % 3;
	sp.fds = buf + AT_FDS;
	sp.nfds = fuzz_byte(in) % 18;
	memcpy((void *)(uintptr_t)(buf + AT_STRS), strs, sizeof(strs));
	memcpy((void *)(uintptr_t)(buf + AT_FDS), fds, sizeof(fds));
	memcpy((void *)(uintptr_t)(buf + AT_SPAWN), &sp, sizeof(sp));
	return buf + AT_SPAWN;
}

/* What the launcher answers the next request, queued before the call:
 * -EACCES; a child (pid: its pid and its channel, whose far end is closed
 * at once, or after an exit status: PROC_WAIT reads either), or a UNIX
 * socket's (pid 0: one end of a socket pair); or a malformed reply (a
 * result without its descriptor). */
static void launcher_answers(uint8_t b, int64_t pid)
{
	struct launch_reply rep = {.result = b % 4 == 0 ? -13 : pid};
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct iovec iov = {&rep, sizeof(rep)};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
	int chan[2] = {-1, -1};

	if (b % 4 >= 2) {
		FUZZ_CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, chan) == 0,
		           "socketpair");
		if (b % 4 == 3) {
			struct launch_exit ex = {.status = 7 << 8};

			FUZZ_CHECK(write(chan[1], &ex, sizeof(ex)) == sizeof(ex), "exit");
		}
		launch_rights_put(&m, ctl.buf, &chan[0], 1);
	}
	FUZZ_CHECK(sendmsg(launcher, &m, MSG_DONTWAIT) == sizeof(rep), "the launcher's answer");
	for (int i = 0; i < 2; i++)
		if (chan[i] >= 0)
			close(chan[i]);
}

/* Every message left on either end of the control socket (a request the
 * host sent, an answer it did not take), its descriptors closed. */
static void drain(int fd)
{
	for (;;) {
		static char msg[LAUNCH_MAX_MSG];
		union {
			struct cmsghdr align;
			char buf[CMSG_SPACE(LAUNCH_MAX_RIGHTS * sizeof(int))];
		} ctl;
		struct iovec iov = {msg, sizeof(msg)};
		struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
		                   .msg_controllen = sizeof(ctl.buf)};
		int fds[LAUNCH_MAX_RIGHTS];
		unsigned n;

		if (recvmsg(fd, &m, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) < 0)
			return;
		n = launch_rights_take(&m, fds, LAUNCH_MAX_RIGHTS);
		for (unsigned i = 0; i < n; i++)
			close(fds[i]);
	}
}

/* What argument k of op is, where the op table's kind (for --trace: x
 * shown in hex) is not what to make it from: flags and modes ('o'),
 * socket types and message flags (small numbers, 'd'), FLOCK's how ('k'),
 * MEM_PROTECT's and MEM_RELEASE's page ('m') and prot ('p'), MEM_MAP's
 * page ('M') and flags ('f'). */
static char kind_of(uint64_t op, unsigned k, char table)
{
	switch (op) {
	case NH_OP_FS_OPEN: case NH_OP_FS_UNLINK: return k == 3 ? 'o' : table;
	case NH_OP_FS_STAT: case NH_OP_FS_UTIMENS: return k == 4 ? 'o' : table;
	case NH_OP_FS_CHOWN: return k == 5 ? 'o' : table;
	case NH_OP_FS_FLOCK: return k == 1 ? 'k' : table;
	case NH_OP_MEM_PROTECT: return k == 0 ? 'm' : k == 2 ? 'p' : table;
	case NH_OP_MEM_RELEASE: return k == 0 ? 'm' : table;
	case NH_OP_MEM_MAP: return k == 0 ? 'M' : k == 2 ? 'p' : k == 3 ? 'f' : table;
	case NH_OP_NET_SOCKET: return k == 1 ? 'd' : table;
	case NH_OP_NET_RECVFROM: case NH_OP_NET_SENDTO: return k == 3 ? 'd' : table;
	default: return table;
	}
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	FUZZ_CHECK(d != NULL, "/proc/self/fd");
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

/* The grants as each input starts: g/ (f, d/, l -> d, up -> ../..), ro/file. */
static void reset_trees(void)
{
	char p[96];
	int g, ro;

	snprintf(p, sizeof(p), "%s/g", T);
	g = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	snprintf(p, sizeof(p), "%s/ro", T);
	ro = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	FUZZ_CHECK(g >= 0 && ro >= 0 && fchmod(g, 0755) == 0, "the grants");
	fuzz_empty_dir(dup(g));
	fuzz_empty_dir(dup(ro));
	fuzz_put(g, "f", "f\n");
	fuzz_put(ro, "file", "file\n");
	FUZZ_CHECK(mkdirat(g, "d", 0755) == 0 && symlinkat("d", g, "l") == 0 &&
	           symlinkat("../..", g, "up") == 0, "the tree");
	close(g);
	close(ro);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char dir[2][128];
	int here = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC), null = open("/dev/null", O_RDONLY);
	char cwd[96];

	(void)argc;
	(void)argv;
	FUZZ_CHECK(here >= 0 && null >= 0 && dup2(null, 0) == 0 && close(null) == 0, "set-up");
	strcpy(T, "/tmp/nh-fuzz-gate.XXXXXX");
	fuzz_workdir(T);
	snprintf(CANARY, sizeof(CANARY), "%s/canary", T);
	snprintf(cwd, sizeof(cwd), "%s/g", T);
	FUZZ_CHECK(mkdir(cwd, 0755) == 0, "%s", cwd);
	snprintf(cwd, sizeof(cwd), "%s/ro", T);
	FUZZ_CHECK(mkdir(cwd, 0755) == 0, "%s", cwd);
	reset_trees();
	fuzz_canary_make(CANARY);
	snprintf(dir[0], sizeof(dir[0]), "%s/g:/data:rw", T);
	snprintf(dir[1], sizeof(dir[1]), "%s/ro:/ro:ro", T);
	nh_host.opts = (struct nh_opts){.memory = MEM, .image = "img", .max_files = 16,
	                                .dir = {dir[0], dir[1]}, .ndirs = 2};
	snprintf(cwd, sizeof(cwd), "%s/g", T);
	FUZZ_CHECK(chdir(cwd) == 0, "chdir"); /* in a grant: no grant of its own */
	fsshim_setup(&nh_host);
	fsshim_open(&nh_host);
	hook_console_open(&nh_host);
	nh_host.opts.net.mode = NSS_PRIVATE; /* a network namespace of the fuzzer's own */
	nss_setup(&nh_host, NULL);
	{
		int sv[2];

		FUZZ_CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0, "socketpair");
		nh_host.proc.ready = true; /* a launcher: the fuzzer, at the other end */
		nh_host.proc.ctl = sv[0];
		launcher = sv[1];
		snprintf(nh_host.self, sizeof(nh_host.self), "%s/g/f", T);
		nh_host.opts.allow_exec[0] = "/usr/bin/true";
		nh_host.opts.nallow_exec = 1;
		proc_setup(&nh_host);
	}
	ram_map(&nh_host);
	/* MEM_PROTECT's window (as if the image's read-only part ended there)
	 * starts at the buffer's page: the paths below it stay writable for
	 * the fuzzer to write. */
	nh_host.ro_end = scratch_at(0x10000);
	nh_host.img.image_end = nh_host.ro_end; /* and MEM_RELEASE's, the heap's */
	console[1] = fcntl(1, F_DUPFD_CLOEXEC, 3);
	console[2] = fcntl(2, F_DUPFD_CLOEXEC, 3);
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	FUZZ_CHECK(console[1] >= 0 && console[2] >= 0 && devnull >= 0, "dup 1, 2");
	FUZZ_CHECK(fchdir(here) == 0 && close(here) == 0, "back to the caller's directory");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	int fds = count_fds(); /* libFuzzer's own come and go between inputs */

	FUZZ_CHECK(dup2(devnull, 1) == 1, "console 1");

	for (int i = 0; i < MAX_CALLS && in.n > 0; i++) {
		uint64_t op = ops[fuzz_byte(&in) % NOPS], a[6] = {0};
		const struct gate_op *g = gate_op_lookup(op);
		uint64_t buf = scratch_at(0x10000);
		int64_t r;

		/* two ports: one to listen on, one not; a buffer MEM_PROTECT
		 * took access to stays as it is, for the ops to meet */
		if (ram_writable(&nh_host, buf, 512))
			fill(buf, (uint16_t)(40000 + i % 2));
		if (op == NH_OP_PROC_START) {
			a[0] = fuzz_byte(&in) < 32 ? pointer(fuzz_byte(&in), buf) : spawn_from(&in, buf);
			launcher_answers(fuzz_byte(&in), 4242);
			g = NULL; /* the struct says it all */
		}
		if (op == NH_OP_NET_BIND || op == NH_OP_NET_CONNECT)
			launcher_answers(fuzz_byte(&in), 0); /* a UNIX socket's asks the launcher */
		/* the op table's kinds say what each argument is */
		for (unsigned k = 0; g != NULL && g->args[k] != '\0' && k < 6; k++) {
			uint64_t len;

			switch (kind_of(op, k, g->args[k])) {
			case 'd': a[k] = handle(fuzz_byte(&in)); break;
			case 'x': a[k] = pointer(fuzz_byte(&in), buf); break;
			case 'o': a[k] = mode(fuzz_byte(&in)); break;
			case 'k': a[k] = lock_how(fuzz_byte(&in)); break;
			case 'm': a[k] = protect_at(fuzz_byte(&in), buf); break;
			case 'p': a[k] = prot_bits(fuzz_byte(&in)); break;
			case 'M': a[k] = map_at(fuzz_byte(&in), buf); break;
			case 'f': a[k] = map_flags(fuzz_byte(&in)); break;
			case 's':
				a[k] = path(&in, scratch_at(0x1000 * k), &len);
				if (g->args[k + 1] == 'u') {
					a[++k] = len;
				}
				break;
			default: a[k] = length(fuzz_byte(&in)); break;
			}
		}
		r = gate_dispatch(op, a);
		drain(launcher);
		drain(nh_host.proc.ctl);
		if (fuzz_trace)
			fprintf(stderr, "%s(%#llx, %#llx, %#llx, %#llx, %#llx, %#llx) = %lld\n",
			        gate_op_lookup(op) != NULL ? gate_op_lookup(op)->name : "?", (unsigned long long)a[0],
			        (unsigned long long)a[1], (unsigned long long)a[2],
			        (unsigned long long)a[3], (unsigned long long)a[4],
			        (unsigned long long)a[5], (long long)r);
		FUZZ_CHECK(r >= -4095, "op 0x%llx: %lld", (unsigned long long)op, (long long)r);
		if ((op == NH_OP_FS_OPEN || op == NH_OP_FS_DUP || op == NH_OP_NET_SOCKET ||
		     op == NH_OP_NET_ACCEPT || op == NH_OP_PROC_START) && r >= 3)
			last_handle = (uint64_t)r;
	}
	for (uint64_t fd = 3; fd < 64; fd++)
		(void)gate_dispatch(NH_OP_FS_CLOSE, (const uint64_t[6]){fd});
	/* fresh pages where files may be mapped, then every page open */
	FUZZ_CHECK(ram_map_over(&nh_host, MAP_ZONE(scratch_at(0x10000)),
	                        MAP_ZONE(scratch_at(0x10000)) + MAP_ZONE_PAGES * NH_PAGE_SIZE,
	                        NH_PROT_READ | NH_PROT_WRITE,
	                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0) == 0,
	           "the map zone");
	FUZZ_CHECK(ram_protect(&nh_host, nh_host.ro_end, nh_host.guard_lo,
	                       NH_PROT_READ | NH_PROT_WRITE) == 0 && nh_host.nprot == 0,
	           "every page readable and writable again");
	for (int fd = 1; fd <= 2; fd++)
		FUZZ_CHECK(dup2(console[fd], fd) == fd, "console %d back", fd);
	nh_host.console_closed = 0;
	FUZZ_CHECK(count_fds() == fds, "%d descriptors after closing every handle, %d before",
	           count_fds(), fds);
	fuzz_canary_check(CANARY);
	reset_trees();
	return 0;
}

void fuzz_seeds(fuzz_emit_fn *emit)
{
	/* a byte per argument (a path: its form, then a byte per name), in
	 * the order of the op table's kinds; an op by its index in ops[]; 100:
	 * NH_AT_ROOT, 0: the newest handle, 10: the buffer */
	static const uint8_t files[] = {
		4, 100, 0x8d, 0, 2, 9, 1,  /* FS_OPEN(/, "/data/f", O_RDWR|O_TRUNC, 0644) */
		6, 0, 10, 4,               /* FS_READ(it, buf, 80) */
		11, 100, 0x8d, 0, 2, 10, 0, /* FS_STAT(/, "/data/f", buf, 0) */
		4, 100, 0x8c, 0, 10, 1,    /* FS_OPEN(/, "/data", O_DIRECTORY, 0644) */
		12, 0, 10, 7, 0,           /* FS_READDIR(it, buf, 4096, 0) */
		5, 0,                      /* FS_CLOSE(it) */
	};

	/* a file's times set beyond int64 nanoseconds, then STAT of it */
	static const uint8_t far_times[] = {
		22, 100, 0x8d, 0, 2, 15, 0,  /* FS_UTIMENS(/, "/data/f", far times, 0) */
		11, 100, 0x8d, 0, 2, 10, 0,  /* FS_STAT(/, "/data/f", buf, 0) */
	};

	/* the buffer's page without access, then read-only: ops that read
	 * from it or write into it are EFAULT, and the host never touches it */
	static const uint8_t protected_buffer[] = {
		4, 100, 0x8d, 0, 2, 9, 1, /* FS_OPEN(/, "/data/f", O_RDWR|O_TRUNC, 0644) */
		46, 0, 7, 0,              /* MEM_PROTECT(buf, 4096, 0) */
		7, 0, 10, 4,              /* FS_WRITE(it, buf, 80) */
		11, 100, 0x8d, 0, 2, 10, 0, /* FS_STAT(/, "/data/f", buf, 0) */
		46, 0, 7, 1,              /* MEM_PROTECT(buf, 4096, READ) */
		7, 0, 10, 4,              /* FS_WRITE(it, buf, 80) */
		8, 0, 10, 4, 0,           /* FS_PREAD(it, buf, 80, 0) */
		2, 10, 3,                 /* GETRANDOM(buf, 8) */
		46, 1, 7, 3,              /* MEM_PROTECT(buf + 4096, 4096, RW) */
		47, 0, 7,                 /* MEM_RELEASE(buf, 4096) */
		8, 0, 10, 4, 0,           /* FS_PREAD(it, buf, 80, 0) */
	};

	/* the file mapped shared over the zone, written to through the map,
	 * read back with PREAD into the buffer; privately; then fresh pages */
	static const uint8_t mapped_file[] = {
		4, 100, 0x8d, 0, 2, 9, 1,  /* FS_OPEN(/, "/data/f", O_RDWR|O_TRUNC, 0644) */
		20, 100, 0x8d, 0, 2, 7,    /* FS_TRUNCATE(/, "/data/f", 4096) */
		48, 0, 7, 3, 0, 0, 0,      /* MEM_MAP(zone, 4096, RW, SHARED, it, 0) */
		7, 0, 10, 4,               /* FS_WRITE(it, buf, 80) */
		8, 0, 10, 4, 0,            /* FS_PREAD(it, buf, 80, it) */
		48, 1, 9, 1, 1, 0, 0,      /* MEM_MAP(zone + 4096, 65536, READ, PRIVATE, it, 0) */
		48, 0, 7, 3, 2, 0, 0,      /* MEM_MAP(zone, 4096, RW, ANON|PRIVATE) */
		11, 100, 0x8d, 0, 2, 10, 0, /* FS_STAT(/, "/data/f", buf, 0) */
	};

	/* DUP of standard input, closed: its descriptor must go too */
	static const uint8_t dup_stdin[] = {23, 102, 5, 0}; /* FS_DUP(0), FS_CLOSE(it) */
	/* a child: the program and working directory by path, "arg" and an
	 * empty string as argv, the file and the console as its descriptors;
	 * the launcher answers with a child; then WAIT for it and KILL it */
	static const uint8_t child[] = {
		4, 100, 0x8d, 0, 2, 9, 1,       /* FS_OPEN(/, "/data/f", O_RDWR|O_TRUNC, 0644) */
		39, 200, 0, 0x8d, 0, 2, 0x8c, 0, /* PROC_START: fds[0] it, "/data/f", "/data" */
		10, 0, 2, 1, 3, 2,               /* argv[1] "", argc 2, envc 1, nfds 3, a child */
		40, 0, 10,                       /* PROC_WAIT(it, buf) */
		41, 0, 109,                      /* PROC_KILL(it, 9) */
	};

	/* a UNIX socket: SOCKET(AF_UNIX, SOCK_STREAM, 0), BIND it at
	 * "/data/sock" (the launcher answers with a socket: its byte comes
	 * first), LISTEN, SOCKNAME */
	static const uint8_t unix_socket[] = {
		25, 103, 103, 102,      /* NET_SOCKET(1, 1, 0) */
		26, 2, 0, 16, 4,        /* the launcher's socket; NET_BIND(it, buf + AT_UNIX, 80) */
		27, 0, 108,             /* NET_LISTEN(it, 6) */
		35, 0, 10, 11, 102,     /* NET_SOCKNAME(it, buf, buf + AT_LEN4, 0) */
	};

	/* TCP on loopback: a listener, a connection to it, accepted, a message
	 * each way, options, shutdown, poll (calls 1 and 5 see port 40001) */
	static const uint8_t tcp[] = {
		25, 104, 103, 102,       /* NET_SOCKET(AF_INET, SOCK_STREAM, 0): 3 */
		26, 0, 0, 10, 4,         /* NET_BIND(3, 127.0.0.1:40001, 80) */
		27, 0, 107,              /* NET_LISTEN(3, 5) */
		25, 104, 103, 102,       /* NET_SOCKET: 4 */
		0,                       /* NANOTIME */
		29, 0, 0, 10, 4,         /* NET_CONNECT(4, 127.0.0.1:40001, 80) */
		28, 105, 0, 0,           /* NET_ACCEPT(3, 0, 0): 5 */
		31, 0, 10, 4, 102, 0, 0, /* NET_SENDTO(5, buf, 80, 0, 0, 0) */
		30, 106, 10, 4, 102, 0, 0, /* NET_RECVFROM(4, buf, 80, 0, 0, 0) */
		33, 0, 103, 106, 14, 11, /* NET_GETSOCKOPT(5, SOL_SOCKET, SO_ERROR, int, len) */
		34, 0, 108, 103, 14, 3,  /* NET_SETSOCKOPT(5, IPPROTO_TCP, TCP_NODELAY, 1, 8) */
		32, 0, 104,              /* NET_SHUTDOWN(5, SHUT_RDWR) */
		36, 0, 10,               /* NET_POLL(5, tag) */
	};

	emit("files", files, sizeof(files));
	emit("unix-socket", unix_socket, sizeof(unix_socket));
	emit("tcp", tcp, sizeof(tcp));
	emit("dup-stdin", dup_stdin, sizeof(dup_stdin));
	emit("child", child, sizeof(child));
	emit("far-times", far_times, sizeof(far_times));
	emit("protected-buffer", protected_buffer, sizeof(protected_buffer));
	emit("mapped-file", mapped_file, sizeof(mapped_file));
}
