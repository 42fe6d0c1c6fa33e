/* MPSC command queue: a mutex-protected intrusive FIFO plus an eventfd that wakes the
 * consumer's loop. Producers only signal on the empty -> non-empty transition, so a
 * burst of pushes costs one eventfd write. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "loop/loop_int.h"

struct cl_queue {
	struct cl_loop *loop;
	int efd;
	cl_queue_h *h;
	void *arg;
	pthread_mutex_t lock;
	struct cl_queue_item *head; /* under lock */
	struct cl_queue_item **tailp;
};

static void on_eventfd(int fd, unsigned events, void *arg)
{
	(void)fd;
	(void)events;
	cl_queue_drain(arg);
}

int cl_queue_alloc(struct cl_queue **qp, struct cl_loop *loop, cl_queue_h *h, void *arg)
{
	struct cl_queue *q;
	int err;

	if (!qp || !loop || !h)
		return EINVAL;
	q = calloc(1, sizeof(*q));
	if (!q)
		return ENOMEM;
	q->loop = loop;
	q->h = h;
	q->arg = arg;
	q->tailp = &q->head;
	err = pthread_mutex_init(&q->lock, NULL);
	if (err) {
		free(q);
		return err;
	}
	q->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	err = q->efd < 0 ? errno : cl_loop_fd_add(loop, q->efd, CL_LOOP_READ, on_eventfd, q);
	if (err) {
		if (q->efd >= 0)
			close(q->efd);
		pthread_mutex_destroy(&q->lock);
		free(q);
		return err;
	}
	*qp = q;
	return 0;
}

void cl_queue_free(struct cl_queue *q)
{
	if (!q)
		return;
	cl_queue_drain(q);
	cl_loop_fd_remove(q->loop, q->efd);
	close(q->efd);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

int cl_queue_push(struct cl_queue *q, struct cl_queue_item *item)
{
	static const uint64_t one = 1;
	bool was_empty;

	if (!q || !item)
		return EINVAL;
	item->next = NULL;
	pthread_mutex_lock(&q->lock);
	was_empty = q->head == NULL;
	*q->tailp = item;
	q->tailp = &item->next;
	pthread_mutex_unlock(&q->lock);
	/* EAGAIN means the counter is already non-zero: the consumer will wake anyway. */
	if (was_empty && write(q->efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		return errno;
	return 0;
}

size_t cl_queue_drain(struct cl_queue *q)
{
	cl_queue_h *h = q->h;
	void *arg = q->arg;
	struct cl_queue_item *list;
	uint64_t cnt;
	size_t n = 0;

	/* Reset the eventfd BEFORE taking the list: a push that lands after the swap sees
	 * an empty queue and signals again, so no item is ever stranded.
	 * EAGAIN (nothing signalled) is fine: items may still be queued (drain on free). */
	ssize_t r = read(q->efd, &cnt, sizeof(cnt));

	(void)r;
	pthread_mutex_lock(&q->lock);
	list = q->head;
	q->head = NULL;
	q->tailp = &q->head;
	pthread_mutex_unlock(&q->lock);
	while (list) {
		struct cl_queue_item *next = list->next;

		h(list, arg); /* the handler owns list now: next was read first */
		list = next;
		n++;
	}
	return n;
}
