/* SPDX-License-Identifier: MIT */
/*
 * Doubly linked circular lists, the Linux way: the list_head lives inside the object,
 * and container_of() gets from the link back to the object.  The buddy allocator's free
 * lists and SLUB's partial lists are built from these.
 *
 *   head <-> a.lru <-> b.lru <-> c.lru <-> (back to head)
 */
#ifndef PAGELAB_LIB_LIST_H
#define PAGELAB_LIB_LIST_H

#include "lib/atomic.h"
#include "types.h"

/*
 * Every store to a ->next goes through WRITE_ONCE and list_empty() reads with
 * READ_ONCE, as Linux's do: a few readers look without the list's lock (the watermark
 * check asks whether a free list is empty; compound_head() reads a page's lru.next),
 * and those words must not be torn or cached.  On x86 both are plain moves.
 */

#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *l)
{
	WRITE_ONCE(l->next, l);
	l->prev = l;
}

static inline void __list_add(struct list_head *n, struct list_head *prev, struct list_head *next)
{
	next->prev = n;
	WRITE_ONCE(n->next, next);
	n->prev = prev;
	WRITE_ONCE(prev->next, n);
}

/* list_add - insert @n right after @head (stack order). */
static inline void list_add(struct list_head *n, struct list_head *head)
{
	__list_add(n, head, head->next);
}

/* list_add_tail - insert @n right before @head (queue order). */
static inline void list_add_tail(struct list_head *n, struct list_head *head)
{
	__list_add(n, head->prev, head);
}

/* list_del - unlink @e; its pointers are poisoned so a second delete faults loudly. */
static inline void list_del(struct list_head *e)
{
	e->next->prev = e->prev;
	WRITE_ONCE(e->prev->next, e->next);
	WRITE_ONCE(e->next, (struct list_head *)0xdead000000000100ULL);
	e->prev = (struct list_head *)0xdead000000000122ULL;
}

static inline bool list_empty(const struct list_head *head)
{
	return READ_ONCE(head->next) == head;
}

/* list_move - unlink @e and insert it right after @head. */
static inline void list_move(struct list_head *e, struct list_head *head)
{
	e->next->prev = e->prev;
	WRITE_ONCE(e->prev->next, e->next);
	list_add(e, head);
}

/* list_move_tail - unlink @e and insert it right before @head (at the tail). */
static inline void list_move_tail(struct list_head *e, struct list_head *head)
{
	e->next->prev = e->prev;
	WRITE_ONCE(e->prev->next, e->next);
	list_add_tail(e, head);
}

/* list_splice_init - move every entry of @list to the front of @head; @list ends empty. */
static inline void list_splice_init(struct list_head *list, struct list_head *head)
{
	if (list_empty(list))
		return;
	list->next->prev = head;
	WRITE_ONCE(list->prev->next, head->next);
	head->next->prev = list->prev;
	WRITE_ONCE(head->next, list->next);
	INIT_LIST_HEAD(list);
}

#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(head, type, member) list_entry((head)->next, type, member)
#define list_last_entry(head, type, member) list_entry((head)->prev, type, member)

#define list_for_each(pos, head) for (pos = (head)->next; pos != (head); pos = pos->next)

#define list_for_each_entry(pos, head, member)                                    \
	for (pos = list_entry((head)->next, __typeof__(*pos), member); &pos->member != (head); \
	     pos = list_entry(pos->member.next, __typeof__(*pos), member))

/* list_for_each_entry_safe - as list_for_each_entry, but @pos may be unlinked in the body. */
#define list_for_each_entry_safe(pos, n, head, member)                                     \
	for (pos = list_entry((head)->next, __typeof__(*pos), member),                       \
	    n = list_entry(pos->member.next, __typeof__(*pos), member);                       \
	     &pos->member != (head); pos = n, n = list_entry(n->member.next, __typeof__(*n), member))

#endif
