/* Timers: a binary min-heap of pointers to timers embedded in their owners, ordered
 * by (due, seq). Each timer records its heap slot, so cancel is O(log n) too. */
#include <errno.h>
#include <stdlib.h>

#include "loop/loop_int.h"

static bool before(const struct cl_timer *a, const struct cl_timer *b)
{
	return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

static void place(struct cl_loop *loop, size_t i, struct cl_timer *t)
{
	loop->heap[i] = t;
	t->idx = i + 1;
}

static void sift_up(struct cl_loop *loop, size_t i)
{
	struct cl_timer *t = loop->heap[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!before(t, loop->heap[parent]))
			break;
		place(loop, i, loop->heap[parent]);
		i = parent;
	}
	place(loop, i, t);
}

static void sift_down(struct cl_loop *loop, size_t i)
{
	struct cl_timer *t = loop->heap[i];
	size_t n = loop->heap_len;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && before(loop->heap[c + 1], loop->heap[c]))
			c++;
		if (!before(loop->heap[c], t))
			break;
		place(loop, i, loop->heap[c]);
		i = c;
	}
	place(loop, i, t);
}

/* Unlinks the armed timer t from its loop's heap and disarms it. */
static void heap_remove(struct cl_loop *loop, struct cl_timer *t)
{
	size_t i = t->idx - 1;
	struct cl_timer *last = loop->heap[--loop->heap_len];

	t->idx = 0;
	t->loop = NULL;
	if (last == t)
		return;
	place(loop, i, last);
	if (i > 0 && before(last, loop->heap[(i - 1) / 2]))
		sift_up(loop, i);
	else
		sift_down(loop, i);
}

static int heap_reserve(struct cl_loop *loop)
{
	size_t n;
	struct cl_timer **p;

	if (loop->heap_len < loop->heap_cap)
		return 0;
	n = loop->heap_cap ? loop->heap_cap * 2 : 64;
	p = realloc(loop->heap, n * sizeof(*p));
	if (!p)
		return ENOMEM;
	loop->heap = p;
	loop->heap_cap = n;
	return 0;
}

void cl_timer_init(struct cl_timer *t)
{
	*t = (struct cl_timer){ 0 };
}

int cl_timer_start(struct cl_loop *loop, struct cl_timer *t, uint64_t ms, cl_timer_h *h,
		   void *arg)
{
	int err;

	if (!loop || !t || !h)
		return EINVAL;
	cl_timer_cancel(t);
	err = heap_reserve(loop);
	if (err)
		return err;
	t->loop = loop;
	t->due = ms > UINT64_MAX - loop->now ? UINT64_MAX : loop->now + ms;
	t->seq = loop->timer_seq++;
	t->h = h;
	t->arg = arg;
	place(loop, loop->heap_len++, t);
	sift_up(loop, loop->heap_len - 1);
	return 0;
}

void cl_timer_cancel(struct cl_timer *t)
{
	if (t && t->idx)
		heap_remove(t->loop, t);
}

bool cl_timer_active(const struct cl_timer *t)
{
	return t && t->idx != 0;
}

uint64_t cl_timer_remaining(const struct cl_timer *t)
{
	if (!cl_timer_active(t) || t->due <= t->loop->now)
		return 0;
	return t->due - t->loop->now;
}

size_t cl_loop_timer_count(const struct cl_loop *loop)
{
	return loop->heap_len;
}

bool cl_loop_next_due(const struct cl_loop *loop, uint64_t *due)
{
	if (!loop->heap_len)
		return false;
	if (due)
		*due = loop->heap[0]->due;
	return true;
}

size_t cl_loop_fire_due(struct cl_loop *loop, uint64_t now)
{
	/* Timers started during this pass get seq >= limit and wait for the next pass:
	 * such a timer is due no earlier than now, so it sorts after every older timer
	 * that is due, and stopping at it skips nothing that should fire. */
	uint64_t limit = loop->timer_seq;
	size_t fired = 0;

	if (now > loop->now)
		loop->now = now;
	while (loop->heap_len) {
		struct cl_timer *t = loop->heap[0];
		cl_timer_h *h = t->h;
		void *arg = t->arg;

		if (t->due > loop->now || t->seq >= limit)
			break;
		heap_remove(loop, t);
		fired++;
		h(arg); /* may free t's owner: t is not touched again */
	}
	return fired;
}

void cl_loop_timers_detach(struct cl_loop *loop)
{
	for (size_t i = 0; i < loop->heap_len; i++) {
		loop->heap[i]->idx = 0;
		loop->heap[i]->loop = NULL;
	}
	loop->heap_len = 0;
}
