/*
 * proc_policy.c - what the sandbox must leave the process ops (proc.c,
 * proc_start.c), measured under strace -f, and nothing else.
 *
 * Contract: proc_policy() is called after fsshim_policy() and nss_policy()
 * (it pins descriptors to the fs-shim's floor, fs->fd_floor: pipes and
 * received channels are made after set-up, so they are >= floor) and adds,
 * only when processes are served (proc_served()):
 *   sendmsg  on the control socket only, flags MSG_NOSIGNAL (START's
 *            request, its descriptors as SCM_RIGHTS; a UNIX socket's BIND or
 *            CONNECT, netstack-shim/nss_unix.c);
 *   recvmsg  on the control socket only, flags MSG_CMSG_CLOEXEC (START's
 *            reply with the child's channel; the UNIX socket the launcher
 *            made);
 *   pipe2    flags O_NONBLOCK|O_CLOEXEC (PIPE);
 *   fcntl    F_SETOWN on descriptors >= floor, to this process only
 *            (START: the channel raises the image's SIGCHLD here; another
 *            pid would have it signal someone else);
 *   recvfrom on descriptors >= floor, flags MSG_DONTWAIT (WAIT: glibc's
 *            recv);
 *   sendto   on descriptors >= floor, flags MSG_DONTWAIT|MSG_NOSIGNAL (KILL:
 *            glibc's send).
 * (Pinning the lengths too would cost ~30 us more of libseccomp's time at
 * every start, for nothing: the descriptors >= floor are the guest's own,
 * which READ and WRITE reach anyway.) Under --net private or host the
 * netstack allows recvfrom and sendto on descriptors >= floor already
 * (nss_sandbox.c): these two are not added again.
 * The pipes' READ, WRITE, CLOSE, STAT and DUP, START's resolutions
 * (openat2, fstat, readlinkat, close) and the channels' CLOSE are the
 * fs-shim's rules already; NET_POLL of pipes and channels the
 * netstack-shim's (epoll_ctl or the ring's POLL_ADD). RLIMIT_NOFILE grows
 * by the control socket and the two descriptors a START holds beside the
 * handles (the program, the directory); pipes and channels are handles,
 * counted by --max-files.
 * Under --policy nothing runs: the control socket is shown as the
 * descriptor a run would have (floor - 1: launcher_start opens it last).
 * proc_served() says whether processes are served: in a run, the launcher
 * runs (h->proc.ready); under --policy (the fs-shim opened nothing),
 * --max-procs > 0 and the image may ask for one (a run whose image gets no
 * root of its own forks the launcher all the same, for its UNIX sockets:
 * launcher.c).
 * proc_image_asks() says whether the image may ask for a process: its
 * symbol table names NH_PROC_START_SYMBOL, or it has none to tell
 * (stripped), or no image is known (--policy without IMAGE). Without the
 * symbol no code of the image makes the call; one that makes it anyway (a
 * hostile image's own) gets ENOSYS, as under --max-procs 0.
 */
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

bool proc_image_asks(const struct nh_host *h)
{
	return elf_may_call(&h->img, NH_PROC_START_SYMBOL);
}

bool proc_served(const struct nh_host *h)
{
	return h->fs.ready ? h->proc.ready : h->opts.max_procs > 0 && proc_image_asks(h);
}

void proc_policy(struct nh_host *h, struct sbx_policy *p)
{
	const scmp_datum_t floor = (scmp_datum_t)h->fs.fd_floor;
	scmp_datum_t ctl;

	if (!proc_served(h))
		return;
	ctl = (scmp_datum_t)(h->proc.ready ? h->proc.ctl : (int)floor - 1);
	p->nofile += 3;
	SBX_ALLOW(p, SCMP_SYS(sendmsg), "processes: START's request to the launcher, and a UNIX "
	          "socket's (its control socket only)", SCMP_A0(SCMP_CMP_EQ, ctl),
	          SCMP_A2(SCMP_CMP_EQ, MSG_NOSIGNAL));
	SBX_ALLOW(p, SCMP_SYS(recvmsg), "processes: START's reply, the child's channel, or a UNIX "
	          "socket, listening or connected (close-on-exec)", SCMP_A0(SCMP_CMP_EQ, ctl),
	          SCMP_A2(SCMP_CMP_EQ, MSG_CMSG_CLOEXEC));
	SBX_ALLOW(p, SCMP_SYS(pipe2), "processes: PIPE (non-blocking, close-on-exec)",
	          SCMP_A1(SCMP_CMP_EQ, O_NONBLOCK | O_CLOEXEC));
	SBX_ALLOW(p, SCMP_SYS(fcntl), "processes: START, a channel owned by this process (its "
	          "SIGCHLD)", SCMP_A0(SCMP_CMP_GE, floor), SCMP_A1(SCMP_CMP_EQ, F_SETOWN),
	          SCMP_A2(SCMP_CMP_EQ, (scmp_datum_t)getpid()));
	if (h->net.mode != NSS_NONE)
		return; /* the netstack's recvfrom and sendto rules cover these */
	SBX_ALLOW(p, SCMP_SYS(recvfrom), "processes: WAIT (the exit status, from the channel)",
	          SCMP_A0(SCMP_CMP_GE, floor), SCMP_A3(SCMP_CMP_EQ, MSG_DONTWAIT));
	SBX_ALLOW(p, SCMP_SYS(sendto), "processes: KILL (a signal, through the channel)",
	          SCMP_A0(SCMP_CMP_GE, floor), SCMP_A3(SCMP_CMP_EQ, MSG_DONTWAIT | MSG_NOSIGNAL));
}
