// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: memblock (mm/memblock.c) driven by a stream of operations, its
 * region arrays checked after every one, and its answers checked against a plain model.
 *
 * Input: records of 18 bytes, little-endian, until the input ends:
 *
 *   u8 op   u8 arg   u64 a   u64 b
 *
 * op & 0x80 puts a and b in a 64 MiB window (a, b & (64 MiB - 1)), where the model
 * follows; otherwise they are any 64-bit numbers and only the arrays are checked.
 * op & 0x0f picks the call:
 *
 *   0 memblock_add(a, b)              5 memblock_set_node(a, b, memory, arg % 4)
 *   1 memblock_add_node(a, b, arg % 4, flags arg >> 3)      6 memblock_trim_memory(1 << arg % 24)
 *   2 memblock_remove(a, b)           7 memblock_phys_alloc_range(b % 16 MiB, align, a, end)
 *   3 memblock_reserve(a, b)          8 memblock_alloc_try_nid(b % 64 KiB, align, a, 64 MiB, arg % 4)
 *   4 memblock_phys_free(a, b)        9 memblock_set_bottom_up(arg & 1)
 *     (not of a grown array's own reservation: memblock would then hand it out)
 *   10-15: memblock_is_region_reserved(a, b) and memblock_overlaps_region(memory, a, b)
 *
 * where align is 0 (the caller's mistake memblock corrects) when arg & 1, else
 * 1 << (arg >> 1) % 21, and end is MEMBLOCK_ALLOC_ACCESSIBLE when arg & 0x40, else
 * a + (b >> 32) (its offset also in the window when a is).  Each input starts from an empty memblock whose arrays may grow
 * (memblock_allow_resize()), with current_limit at 64 MiB: everything memblock writes
 * into "physical memory" stays in the first 64 MiB of the host arena.
 *
 * Checked after every operation, for memory and reserved:
 *
 *   - cnt <= max; an empty array has cnt 0 (Linux 6.11+) and a zero-size regions[0]; no region is
 *     empty or wraps past 2^64; regions are sorted and do not overlap; neighbours that
 *     touch with the same node and flags are merged; total_size is the sum of the sizes
 *
 * and, while every operation so far was in the window, no flags or trim were used and
 * no array had to grow (a grown array reserves itself), against a model of the two sets
 * of bytes:
 *
 *   - the regions cover exactly the model's bytes, each memory byte on the model's node
 *     (add and reserve fill what is missing, remove and free cut, set_node renames)
 *   - an allocation (of at least a byte) returns 0, or an address aligned as asked, at or above max(start,
 *     4 KiB), ending by end, inside memory, clear of every reservation - and reserves it
 *   - memblock_is_region_reserved() and memblock_overlaps_region() answer as the model
 */
#include "arch/memory.h"
#include "fuzz.h"
#include "lib/string.h"
#include "mm/memblock.h"

#define WINDOW (64ULL << 20)
#define SETS_MAX 1024

/*
 * A set of bytes, each with a value (memory: its node): sorted, disjoint [lo, hi)
 * intervals; touching intervals have different values (equal ones are joined).
 */
struct set {
	u32 n;
	u64 lo[SETS_MAX], hi[SETS_MAX];
	int val[SETS_MAX];
};

static struct set model_memory, model_reserved, scratch;
static bool modelled;
static struct memblock_region *init_regions[2];

/* Append [@lo, @hi) with @val to @out, joining it to the last interval if they touch. */
static void set_push(struct set *out, u64 lo, u64 hi, int val)
{
	u32 n = out->n;

	if (lo >= hi)
		return;
	if (n && out->hi[n - 1] == lo && out->val[n - 1] == val) {
		out->hi[n - 1] = hi;
		return;
	}
	if (n == SETS_MAX) {
		modelled = false; /* too fragmented to follow */
		return;
	}
	out->lo[n] = lo, out->hi[n] = hi, out->val[n] = val, out->n++;
}

/*
 * Rebuild @s with [@lo, @hi): @mode 0 removes it, 1 fills its gaps with @val (memblock
 * adds only what is missing), 2 gives the bytes already there the value @val.
 */
static void set_change(struct set *s, u64 lo, u64 hi, int mode, int val)
{
	u64 at = lo; /* the next byte of [lo, hi) not yet handled, for mode 1 */

	if (lo >= hi)
		return;
	scratch.n = 0;
	for (u32 i = 0; i < s->n; i++) {
		u64 a = s->lo[i], b = s->hi[i];

		if (mode == 1 && at < MIN(a, hi)) { /* a gap before this interval */
			set_push(&scratch, at, MIN(a, hi), val);
			at = MIN(a, hi);
		}
		if (b <= lo || a >= hi) {
			set_push(&scratch, a, b, s->val[i]);
			continue;
		}
		set_push(&scratch, a, lo, s->val[i]);
		if (mode)
			set_push(&scratch, MAX(a, lo), MIN(b, hi), mode == 2 ? val : s->val[i]);
		set_push(&scratch, hi, b, s->val[i]);
		at = MAX(at, MIN(b, hi));
	}
	if (mode == 1 && at < hi)
		set_push(&scratch, at, hi, val);
	s->n = scratch.n;
	memcpy(s->lo, scratch.lo, s->n * sizeof(s->lo[0]));
	memcpy(s->hi, scratch.hi, s->n * sizeof(s->hi[0]));
	memcpy(s->val, scratch.val, s->n * sizeof(s->val[0]));
}

static void set_add(struct set *s, u64 lo, u64 hi, int val) { set_change(s, lo, hi, 1, val); }
static void set_sub(struct set *s, u64 lo, u64 hi) { set_change(s, lo, hi, 0, 0); }

/* Whether every byte of [@lo, @hi) is in @s, across touching intervals. */
static bool set_covers(const struct set *s, u64 lo, u64 hi)
{
	for (u32 i = 0; i < s->n && lo < hi; i++)
		if (s->lo[i] <= lo && lo < s->hi[i])
			lo = s->hi[i];
	return lo >= hi;
}

static bool set_overlaps(const struct set *s, u64 lo, u64 hi)
{
	for (u32 i = 0; i < s->n; i++)
		if (s->lo[i] < hi && lo < s->hi[i])
			return true;
	return false;
}

static void check_type(const struct memblock_type *t)
{
	phys_addr_t total = 0;

	fuzz_check(t->cnt <= t->max, "%s: cnt %lu max %lu", t->name, t->cnt, t->max);
	if (!t->cnt) {
		fuzz_check(!t->regions[0].size, "%s: empty, but regions[0] has %#llx bytes", t->name,
			   t->regions[0].size);
		fuzz_check(!t->total_size, "%s: empty with total_size %#llx", t->name, t->total_size);
		return;
	}
	for (unsigned long i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i], *p = r - 1;

		fuzz_check(r->size && r->base + r->size - 1 >= r->base,
			   "%s[%lu]: [%#llx +%#llx] is empty or wraps", t->name, i, r->base, r->size);
		total += r->size;
		if (!i)
			continue;
		fuzz_check(p->base + p->size <= r->base, "%s[%lu] and [%lu] overlap or are unsorted",
			   t->name, i - 1, i);
		fuzz_check(p->base + p->size != r->base || p->nid != r->nid || p->flags != r->flags,
			   "%s[%lu] and [%lu] touch, unmerged", t->name, i - 1, i);
	}
	fuzz_check(total == t->total_size, "%s: total_size %#llx, regions sum %#llx", t->name,
		   t->total_size, total);
}

/*
 * The regions of @t are exactly @s's bytes: touching regions joined when @by_nid says
 * their nodes are equal (memory, whose model follows nodes), always otherwise.
 */
static void check_model(const struct memblock_type *t, const struct set *s, bool by_nid)
{
	scratch.n = 0;
	for (unsigned long i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];

		set_push(&scratch, r->base, r->base + r->size, by_nid ? r->nid : 0);
	}
	fuzz_check(scratch.n == s->n, "%s: %u stretches of regions, the model has %u", t->name,
		   scratch.n, s->n);
	for (u32 i = 0; i < s->n; i++)
		fuzz_check(scratch.lo[i] == s->lo[i] && scratch.hi[i] == s->hi[i] &&
				   scratch.val[i] == s->val[i],
			   "%s: [%#llx, %#llx) on node %d, the model says [%#llx, %#llx) on node %d",
			   t->name, scratch.lo[i], scratch.hi[i], scratch.val[i], s->lo[i], s->hi[i],
			   s->val[i]);
}

static void reset(void)
{
	struct memblock_type *types[2] = { &memblock.memory, &memblock.reserved };

	for (int i = 0; i < 2; i++) {
		struct memblock_type *t = types[i];

		if (!init_regions[i])
			init_regions[i] = t->regions; /* the static arrays memblock starts with */
		t->regions = init_regions[i];
		t->max = INIT_MEMBLOCK_REGIONS;
		t->cnt = 0;
		t->total_size = 0;
		t->regions[0] = (struct memblock_region){ .nid = MAX_NUMNODES };
	}
	memblock_set_bottom_up(false);
	memblock_set_current_limit(MIN(WINDOW, host_phys_arena_size));
	memblock_allow_resize();
	model_memory.n = model_reserved.n = 0;
	modelled = true;
}

/* Whether freeing [@base, @base + @size) would give back a grown array of memblock's. */
static bool frees_an_array(phys_addr_t base, phys_addr_t size)
{
	struct memblock_type *types[2] = { &memblock.memory, &memblock.reserved };

	for (int i = 0; i < 2; i++) {
		phys_addr_t at = __pa(types[i]->regions), len = types[i]->max * sizeof(types[i]->regions[0]);

		if (types[i]->regions != init_regions[i] && at < base + size && base < at + len)
			return true;
	}
	return false;
}

/* An allocation of [@r, @r + @size) from [@start, @end): where the rules allow it? */
static void check_alloc(phys_addr_t r, phys_addr_t size, phys_addr_t align, phys_addr_t start,
			phys_addr_t end)
{
	if (!r || !modelled || !size)
		return; /* an empty allocation is a caller's mistake with no right answer */
	fuzz_check(!(r & (align - 1)) && r >= MAX(start, 4096ULL) && r + size <= end,
		   "allocated [%#llx +%#llx]: align %#llx, from [%#llx, %#llx)", r, size, align,
		   start, end);
	fuzz_check(set_covers(&model_memory, r, r + size) &&
		   !set_overlaps(&model_reserved, r, r + size),
		   "allocated [%#llx +%#llx] outside memory or over a reservation", r, size);
	set_add(&model_reserved, r, r + size, 0);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_input in = fuzz_input(data, size);

	reset();
	while (fuzz_left(&in)) {
		unsigned long max_memory = memblock.memory.max, max_reserved = memblock.reserved.max;
		u8 op = fuzz_u8(&in), arg = fuzz_u8(&in);
		u64 a = fuzz_u64(&in), b = fuzz_u64(&in);
		phys_addr_t align = arg & 1 ? 0 : 1ULL << ((arg >> 1) % 21), r, span = b >> 32, end;
		bool small = op & 0x80;

		if (small)
			a &= WINDOW - 1, b &= WINDOW - 1, span &= WINDOW - 1;
		else
			modelled = false;
		end = arg & 0x40 ? MEMBLOCK_ALLOC_ACCESSIBLE : a + span;
		switch (op & 0x0f) {
		case 0:
			if (!memblock_add(a, b))
				set_add(&model_memory, a, a + b, MAX_NUMNODES);
			break;
		case 1:
			if (arg >> 3)
				modelled = false; /* flags hide memory from allocations */
			if (!memblock_add_node(a, b, arg % 4, arg >> 3))
				set_add(&model_memory, a, a + b, arg % 4);
			break;
		case 2:
			if (!memblock_remove(a, b))
				set_sub(&model_memory, a, a + b);
			break;
		case 3:
			if (!memblock_reserve(a, b))
				set_add(&model_reserved, a, a + b, 0);
			break;
		case 4:
			if (frees_an_array(a, b))
				break; /* the caller's bug: memblock would hand its own arrays out */
			if (!memblock_phys_free(a, b))
				set_sub(&model_reserved, a, a + b);
			break;
		case 5:
			if (!memblock_set_node(a, b, &memblock.memory, arg % 4))
				set_change(&model_memory, a, a + b, 2, arg % 4);
			break;
		case 6:
			modelled = false;
			memblock_trim_memory(1ULL << (arg % 24));
			break;
		case 7:
			r = memblock_phys_alloc_range(b % (16 << 20), align, a, end);
			if (end == MEMBLOCK_ALLOC_ACCESSIBLE || end == MEMBLOCK_ALLOC_NOLEAKTRACE)
				end = memblock_get_current_limit(); /* 0 and 1 are names, not ends */
			check_alloc(r, b % (16 << 20), align ? align : SMP_CACHE_BYTES, a, end);
			break;
		case 8: {
			void *p = memblock_alloc_try_nid(b % (64 << 10), align, a, WINDOW, arg % 4);
			static const u8 zeros[64 << 10];


			/* It may fall back below @a: check against [0, limit). */
			check_alloc(p ? __pa(p) : 0, b % (64 << 10), align ? align : SMP_CACHE_BYTES, 0,
				    memblock_get_current_limit());
			fuzz_check(!p || !memcmp(p, zeros, b % (64 << 10)),
				   "memblock_alloc_try_nid: memory not zeroed");
			break;
		}
		case 9:
			memblock_set_bottom_up(arg & 1);
			break;
		default:
			if (small && modelled) {
				fuzz_check(memblock_is_region_reserved(a, b) ==
						   set_overlaps(&model_reserved, a, a + b),
					   "memblock_is_region_reserved(%#llx, %#llx)", a, b);
				fuzz_check(memblock_overlaps_region(&memblock.memory, a, b) ==
						   set_overlaps(&model_memory, a, a + b),
					   "memblock_overlaps_region(memory, %#llx, %#llx)", a, b);
			}
			break;
		}
		check_type(&memblock.memory);
		check_type(&memblock.reserved);
		if (memblock.memory.max != max_memory || memblock.reserved.max != max_reserved)
			modelled = false; /* a grown array reserved itself: the model cannot know */
		if (modelled) {
			check_model(&memblock.memory, &model_memory, true);
			check_model(&memblock.reserved, &model_reserved, false);
		}
	}
	return 0;
}
