/* Private to src/loop/: the loop's layout, shared by loop.c, timer.c and queue.c. */
#ifndef CL_LOOP_INT_H
#define CL_LOOP_INT_H

#include "loop/loop.h"

/* One slot per fd number. gen changes on every add, so a stale epoll event for a
 * removed (and perhaps reused) fd number is recognised and dropped. */
struct cl_loop_fd {
	cl_loop_fd_h *h;
	void *arg;
	unsigned events; /* CL_LOOP_READ|WRITE as registered */
	uint32_t gen;
	bool used;
};

struct cl_loop {
	int epfd;
	bool stop;
	uint64_t now; /* cached clock, ms */
	cl_loop_clock_h *clock;
	void *clock_arg;
	cl_loop_hook_h *before_sleep;
	void *before_sleep_arg;

	struct cl_loop_fd *fds; /* indexed by fd */
	size_t nfds;            /* slots allocated */
	uint32_t gen;           /* last generation handed out */

	struct cl_timer **heap; /* min-heap on (due, seq) */
	size_t heap_len, heap_cap;
	uint64_t timer_seq; /* next start order */
};

/* timer.c: detaches every armed timer (used by cl_loop_free). */
void cl_loop_timers_detach(struct cl_loop *loop);

#endif
