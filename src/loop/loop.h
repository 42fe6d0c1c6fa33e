/* cipherline loop: one epoll event loop per thread, a timer heap, and eventfd queues
 * between threads. In the spirit of redis's ae.c: small, one backend (epoll), a hook
 * that runs before each sleep.
 *
 * Threading: a loop and everything registered on it (fd watchers, timers, queue
 * consumers) belong to the thread that runs it. Only cl_queue_push() may be called
 * from other threads.
 *
 * Fd watchers are LEVEL-triggered: a handler that leaves data unread is called again
 * on the next iteration. Handlers need not drain a socket in one call, which keeps
 * one busy peer from starving the others.
 *
 * Re-entrancy rule (STYLE avoid #3, no use-after-free from one's own callback):
 *  - The loop never owns or frees user objects, and it keeps no pointer to a watcher
 *    or timer owner across a callback.
 *  - A timer is unlinked from the heap BEFORE its callback runs, and the loop does not
 *    touch it afterwards: the callback may restart it, or free the object it is
 *    embedded in.
 *  - An fd handler may remove or modify any fd (its own included) and start or cancel
 *    any timer. Removal takes effect at once; events already collected in this
 *    iteration for a removed fd are dropped (each registration carries a generation,
 *    so a closed-and-reused fd number never receives the old registration's events).
 *    After cl_loop_fd_remove() the handler may close the fd and free its owner.
 *  - A timer started from a callback with a delay of 0 runs in the next pass, never
 *    within the pass that started it, so a self-restarting timer cannot spin.
 */
#ifndef CL_LOOP_H
#define CL_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cl_loop;

/* Readiness bits passed to cl_loop_fd_add/modify and reported to handlers. */
enum {
	CL_LOOP_READ = 1u << 0,  /* readable (EPOLLIN) */
	CL_LOOP_WRITE = 1u << 1, /* writable (EPOLLOUT) */
	/* Reported only: always watched, whatever the mask. On ERR/HUP the loop also
	 * sets the READ/WRITE bits the watcher asked for, so a handler that only tests
	 * READ still reads, and sees the error or EOF from read(). */
	CL_LOOP_ERR = 1u << 2, /* EPOLLERR: pending socket error (SO_ERROR) */
	CL_LOOP_HUP = 1u << 3, /* EPOLLHUP or EPOLLRDHUP: peer closed */
};

/* Called with the fd and the CL_LOOP_* bits that are ready. */
typedef void(cl_loop_fd_h)(int fd, unsigned events, void *arg);
/* Called once per iteration just before the loop waits in epoll. */
typedef void(cl_loop_hook_h)(struct cl_loop *loop, void *arg);
/* A clock source in milliseconds; see cl_loop_set_clock(). */
typedef uint64_t(cl_loop_clock_h)(void *arg);

/* Creates a loop with the monotonic clock. Returns 0, ENOMEM, or epoll's errno. */
int cl_loop_alloc(struct cl_loop **loopp);
/* Frees the loop (NULL is fine). It neither closes fds nor frees timers' owners; timers
 * still armed are detached (cl_timer_active() turns false), so their owners must be
 * alive or have cancelled them first. */
void cl_loop_free(struct cl_loop *loop);

/* ---- fd watchers (level-triggered) ---- */

/* Watches fd for events (CL_LOOP_READ|CL_LOOP_WRITE, or 0 for ERR/HUP only).
 * Returns 0, EINVAL (bad fd or no handler), EEXIST, ENOMEM, or epoll_ctl's errno. */
int cl_loop_fd_add(struct cl_loop *loop, int fd, unsigned events, cl_loop_fd_h *h, void *arg);
/* Changes the watched events of a registered fd. Returns 0, ENOENT, or an errno. */
int cl_loop_fd_modify(struct cl_loop *loop, int fd, unsigned events);
/* Stops watching fd; safe from any handler, its own included. Call before close().
 * Returns 0 or ENOENT. */
int cl_loop_fd_remove(struct cl_loop *loop, int fd);
/* Returns the events fd is watched for, or 0 when it is not registered. */
unsigned cl_loop_fd_events(const struct cl_loop *loop, int fd);

/* ---- time ---- */

/* Returns CLOCK_MONOTONIC in milliseconds (uncached, no loop needed). */
uint64_t cl_loop_clock_mono_ms(void);
/* Returns the loop's time in ms, cached once per iteration (and per cl_loop_fire_due). */
uint64_t cl_loop_now_ms(const struct cl_loop *loop);
/* Re-reads the clock into the cache and returns it. */
uint64_t cl_loop_update_time(struct cl_loop *loop);
/* Replaces the clock (NULL restores the monotonic clock) and re-reads it. Tests use
 * a simulated clock: they advance a variable and call cl_loop_run_once(loop, 0), or
 * cl_loop_fire_due(loop, now) directly. */
void cl_loop_set_clock(struct cl_loop *loop, cl_loop_clock_h *clock, void *arg);

/* ---- timers: a binary min-heap, O(log n) start and cancel ---- */

typedef void(cl_timer_h)(void *arg);

/* Embed in the owning object and zero it (or cl_timer_init) before first use.
 * The fields are private to the loop. */
struct cl_timer {
	struct cl_loop *loop; /* set while armed */
	size_t idx;           /* heap position + 1; 0 when not armed */
	uint64_t due;         /* loop time in ms */
	uint64_t seq;         /* start order: equal deadlines fire first-started first */
	cl_timer_h *h;
	void *arg;
};

/* Puts t in the disarmed state. */
void cl_timer_init(struct cl_timer *t);
/* Arms t to call h(arg) ms after the loop's cached now; an armed timer is re-armed.
 * Returns 0, EINVAL, or ENOMEM (t is then disarmed). */
int cl_timer_start(struct cl_loop *loop, struct cl_timer *t, uint64_t ms, cl_timer_h *h,
		   void *arg);
/* Disarms t if armed (no-op otherwise); safe from any callback. */
void cl_timer_cancel(struct cl_timer *t);
/* Returns true while t is armed. */
bool cl_timer_active(const struct cl_timer *t);
/* Returns the ms left until t fires (0 when due or not armed). */
uint64_t cl_timer_remaining(const struct cl_timer *t);
/* Returns the number of armed timers. */
size_t cl_loop_timer_count(const struct cl_loop *loop);
/* Returns true and the earliest deadline in *due when a timer is armed. */
bool cl_loop_next_due(const struct cl_loop *loop, uint64_t *due);
/* Advances the cached time to now (never backwards) and fires every timer due by
 * then, earliest first: the simulated-time entry point. Timers started by these
 * callbacks wait for the next call. Returns the number fired. */
size_t cl_loop_fire_due(struct cl_loop *loop, uint64_t now);

/* ---- running ---- */

/* Sets the hook run before each sleep (NULL clears it). */
void cl_loop_set_before_sleep(struct cl_loop *loop, cl_loop_hook_h *h, void *arg);
/* One iteration: runs the before-sleep hook, waits up to timeout_ms (-1 forever;
 * shortened to the next timer deadline), dispatches ready fds, then fires due timers.
 * Returns 0 (also on EINTR) or epoll_wait's errno. */
int cl_loop_run_once(struct cl_loop *loop, int timeout_ms);
/* Iterates until cl_loop_stop() is called during it. Returns 0, or the errno that
 * ended it. */
int cl_loop_run(struct cl_loop *loop);
/* Makes cl_loop_run() return after the current iteration. Loop thread only; another
 * thread asks through a cl_queue whose handler calls this. */
void cl_loop_stop(struct cl_loop *loop);

/* ---- MPSC command queue, signalled by an eventfd ----
 * Producers (any thread) push items they allocated; the consumer loop's handler
 * receives them in push order and owns them from then on. A push takes a mutex for a
 * few instructions and writes the eventfd only when the queue was empty; it never
 * waits for the consumer. This is the control path; the packet path does not use it. */

struct cl_queue;

/* Embed in the command struct; recover it with CL_QUEUE_ENTRY. */
struct cl_queue_item {
	struct cl_queue_item *next;
};

#define CL_QUEUE_ENTRY(item, type, member) \
	((type *)(void *)((char *)(item) - offsetof(type, member)))

/* Called on the consumer loop for each item; the handler owns the item. It must not
 * free the queue itself (stop the loop, and free the queue after cl_loop_run returns). */
typedef void(cl_queue_h)(struct cl_queue_item *item, void *arg);

/* Creates a queue consumed on loop (the calling thread must be loop's thread).
 * Returns 0, EINVAL, ENOMEM, or the errno of eventfd/epoll. */
int cl_queue_alloc(struct cl_queue **qp, struct cl_loop *loop, cl_queue_h *h, void *arg);
/* Delivers any items still queued to the handler, then frees the queue (NULL is
 * fine). Consumer thread only, after every producer has stopped pushing. */
void cl_queue_free(struct cl_queue *q);
/* Appends item; any thread. Returns 0, EINVAL, or the eventfd write errno. */
int cl_queue_push(struct cl_queue *q, struct cl_queue_item *item);
/* Hands every queued item to the handler now; consumer thread only (the loop calls it
 * when the eventfd fires). Returns the number delivered. */
size_t cl_queue_drain(struct cl_queue *q);

#endif
