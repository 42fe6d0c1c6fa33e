/* The loop core: epoll fd watchers (level-triggered), the cached clock and the run
 * loop. Timers are in timer.c, queues in queue.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "loop/loop_int.h"

/* Events collected per epoll_wait; more simply wait for the next iteration. */
#define CL_LOOP_MAX_EVENTS 64

uint64_t cl_loop_clock_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int cl_loop_alloc(struct cl_loop **loopp)
{
	struct cl_loop *loop;

	if (!loopp)
		return EINVAL;
	loop = calloc(1, sizeof(*loop));
	if (!loop)
		return ENOMEM;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0) {
		int err = errno;

		free(loop);
		return err;
	}
	loop->now = cl_loop_clock_mono_ms();
	*loopp = loop;
	return 0;
}

void cl_loop_free(struct cl_loop *loop)
{
	if (!loop)
		return;
	cl_loop_timers_detach(loop);
	close(loop->epfd);
	free(loop->heap);
	free(loop->fds);
	free(loop);
}

/* ---- fd watchers ---- */

static uint32_t to_epoll(unsigned events)
{
	uint32_t ev = 0;

	/* RDHUP only with READ: a write-only watcher on a half-closed stream would
	 * otherwise be woken on every level-triggered iteration. */
	if (events & CL_LOOP_READ)
		ev |= EPOLLIN | EPOLLRDHUP;
	if (events & CL_LOOP_WRITE)
		ev |= EPOLLOUT;
	return ev;
}

/* Maps epoll bits to CL_LOOP_* bits; ERR/HUP also raise the bits the watcher wants. */
static unsigned from_epoll(uint32_t ev, unsigned wanted)
{
	unsigned out = 0;

	if (ev & EPOLLIN)
		out |= CL_LOOP_READ;
	if (ev & EPOLLOUT)
		out |= CL_LOOP_WRITE;
	if (ev & EPOLLERR)
		out |= CL_LOOP_ERR | wanted;
	if (ev & (EPOLLHUP | EPOLLRDHUP))
		out |= CL_LOOP_HUP | (wanted & CL_LOOP_READ);
	if (ev & EPOLLHUP)
		out |= wanted & CL_LOOP_WRITE; /* both directions are gone */
	return out;
}

static int fds_reserve(struct cl_loop *loop, int fd)
{
	size_t need = (size_t)fd + 1, n;
	struct cl_loop_fd *p;

	if (need <= loop->nfds)
		return 0;
	n = loop->nfds ? loop->nfds : 64;
	while (n < need)
		n *= 2;
	p = realloc(loop->fds, n * sizeof(*p));
	if (!p)
		return ENOMEM;
	memset(p + loop->nfds, 0, (n - loop->nfds) * sizeof(*p));
	loop->fds = p;
	loop->nfds = n;
	return 0;
}

static struct cl_loop_fd *fd_slot(const struct cl_loop *loop, int fd)
{
	if (fd < 0 || (size_t)fd >= loop->nfds || !loop->fds[fd].used)
		return NULL;
	return &loop->fds[fd];
}

int cl_loop_fd_add(struct cl_loop *loop, int fd, unsigned events, cl_loop_fd_h *h, void *arg)
{
	struct epoll_event ev = { 0 };
	struct cl_loop_fd *s;
	int err;

	if (!loop || fd < 0 || !h || (events & ~(unsigned)(CL_LOOP_READ | CL_LOOP_WRITE)))
		return EINVAL;
	if (fd_slot(loop, fd))
		return EEXIST;
	err = fds_reserve(loop, fd);
	if (err)
		return err;
	s = &loop->fds[fd];
	ev.events = to_epoll(events);
	ev.data.u64 = (uint64_t)(uint32_t)fd | (uint64_t)(++loop->gen) << 32;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return errno;
	*s = (struct cl_loop_fd){ .h = h, .arg = arg, .events = events, .gen = loop->gen,
				  .used = true };
	return 0;
}

int cl_loop_fd_modify(struct cl_loop *loop, int fd, unsigned events)
{
	struct cl_loop_fd *s = loop ? fd_slot(loop, fd) : NULL;
	struct epoll_event ev = { 0 };

	if (!s)
		return ENOENT;
	if (events & ~(unsigned)(CL_LOOP_READ | CL_LOOP_WRITE))
		return EINVAL;
	if (events == s->events)
		return 0;
	ev.events = to_epoll(events);
	ev.data.u64 = (uint64_t)(uint32_t)fd | (uint64_t)s->gen << 32;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, fd, &ev) < 0)
		return errno;
	s->events = events;
	return 0;
}

int cl_loop_fd_remove(struct cl_loop *loop, int fd)
{
	struct cl_loop_fd *s = loop ? fd_slot(loop, fd) : NULL;

	if (!s)
		return ENOENT;
	/* An fd closed before removal is already gone from epoll: ignore that error. */
	(void)epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
	memset(s, 0, sizeof(*s));
	return 0;
}

unsigned cl_loop_fd_events(const struct cl_loop *loop, int fd)
{
	const struct cl_loop_fd *s = loop ? fd_slot(loop, fd) : NULL;

	return s ? s->events : 0;
}

/* ---- time ---- */

uint64_t cl_loop_now_ms(const struct cl_loop *loop)
{
	return loop->now;
}

uint64_t cl_loop_update_time(struct cl_loop *loop)
{
	uint64_t t = loop->clock ? loop->clock(loop->clock_arg) : cl_loop_clock_mono_ms();

	/* Never step backwards, even with a misbehaving injected clock. */
	if (t > loop->now)
		loop->now = t;
	return loop->now;
}

void cl_loop_set_clock(struct cl_loop *loop, cl_loop_clock_h *clock, void *arg)
{
	loop->clock = clock;
	loop->clock_arg = arg;
	/* A new clock may be behind the old one (simulated time starts near 0): take it. */
	loop->now = clock ? clock(arg) : cl_loop_clock_mono_ms();
}

/* ---- running ---- */

void cl_loop_set_before_sleep(struct cl_loop *loop, cl_loop_hook_h *h, void *arg)
{
	loop->before_sleep = h;
	loop->before_sleep_arg = arg;
}

/* Clamps the caller's timeout to the next timer deadline. */
static int wait_timeout(struct cl_loop *loop, int timeout_ms)
{
	uint64_t due, left;

	if (!cl_loop_next_due(loop, &due))
		return timeout_ms;
	left = due > loop->now ? due - loop->now : 0;
	if (timeout_ms >= 0 && (uint64_t)timeout_ms < left)
		return timeout_ms;
	return left > (uint64_t)INT32_MAX ? INT32_MAX : (int)left;
}

/* Calls each event's handler, unless its registration went away meanwhile. */
static void dispatch(struct cl_loop *loop, const struct epoll_event *evs, int n)
{
	for (int i = 0; i < n; i++) {
		int fd = (int)(uint32_t)evs[i].data.u64;
		uint32_t gen = (uint32_t)(evs[i].data.u64 >> 32);
		const struct cl_loop_fd *s = fd_slot(loop, fd);
		unsigned ready;

		if (!s || s->gen != gen)
			continue; /* removed (and maybe re-added) by an earlier handler */
		ready = from_epoll(evs[i].events, s->events);
		if (ready)
			s->h(fd, ready, s->arg); /* s may dangle after this: not used again */
	}
}

int cl_loop_run_once(struct cl_loop *loop, int timeout_ms)
{
	struct epoll_event evs[CL_LOOP_MAX_EVENTS];
	int n;

	if (loop->before_sleep)
		loop->before_sleep(loop, loop->before_sleep_arg);
	cl_loop_update_time(loop);
	n = epoll_wait(loop->epfd, evs, CL_LOOP_MAX_EVENTS, wait_timeout(loop, timeout_ms));
	if (n < 0 && errno != EINTR)
		return errno;
	cl_loop_update_time(loop);
	if (n > 0)
		dispatch(loop, evs, n);
	cl_loop_fire_due(loop, cl_loop_update_time(loop));
	return 0;
}

int cl_loop_run(struct cl_loop *loop)
{
	int err = 0;

	loop->stop = false;
	while (!loop->stop && !err)
		err = cl_loop_run_once(loop, -1);
	loop->stop = false;
	return err;
}

void cl_loop_stop(struct cl_loop *loop)
{
	loop->stop = true;
}
