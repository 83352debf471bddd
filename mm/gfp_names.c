// SPDX-License-Identifier: MIT
/*
 * GFP flags by name: the "(GFP_KERNEL|__GFP_ZERO)" in Linux's reports (its %pGg
 * printk format), and the reverse for the shell's `alloc <order> [flags]`.
 *
 * Combinations come before single bits, in the order of Linux's table
 * (include/trace/events/mmflags.h), so 0xcc1 reads GFP_KERNEL|GFP_DMA, not five bits.
 */
#include "lib/errno.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/gfp.h"

struct gfp_name {
	gfp_t mask;
	const char *name;
};

static const struct gfp_name gfpflag_names[] = {
	{ GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE" },
	{ GFP_HIGHUSER, "GFP_HIGHUSER" },
	{ GFP_USER, "GFP_USER" },
	{ GFP_KERNEL, "GFP_KERNEL" },
	{ GFP_NOFS, "GFP_NOFS" },
	{ GFP_ATOMIC, "GFP_ATOMIC" },
	{ GFP_NOIO, "GFP_NOIO" },
	{ GFP_NOWAIT, "GFP_NOWAIT" },
	{ GFP_DMA, "GFP_DMA" },
	{ __GFP_HIGHMEM, "__GFP_HIGHMEM" },
	{ GFP_DMA32, "GFP_DMA32" },
	{ __GFP_HIGH, "__GFP_HIGH" },
	{ __GFP_IO, "__GFP_IO" },
	{ __GFP_FS, "__GFP_FS" },
	{ __GFP_NOWARN, "__GFP_NOWARN" },
	{ __GFP_ZERO, "__GFP_ZERO" },
	{ __GFP_HARDWALL, "__GFP_HARDWALL" },
	{ __GFP_RECLAIMABLE, "__GFP_RECLAIMABLE" },
	{ __GFP_MOVABLE, "__GFP_MOVABLE" },
	{ __GFP_RECLAIM, "__GFP_RECLAIM" },
	{ __GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM" },
	{ __GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM" },
};

int format_gfp_flags(char *buf, size_t size, gfp_t gfp)
{
	int len = 0;

	if (size)
		buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(gfpflag_names) && gfp; i++) {
		const struct gfp_name *n = &gfpflag_names[i];

		if ((gfp & n->mask) != n->mask)
			continue;
		len += scnprintf(buf + len, size - len, "%s%s", len ? "|" : "", n->name);
		gfp &= ~n->mask;
	}
	if (gfp) /* bits without a name */
		len += scnprintf(buf + len, size - len, "%s%#x", len ? "|" : "", gfp);
	if (!len) /* GFP_NOWAIT without kswapd, i.e. 0 */
		len = scnprintf(buf, size, "0");
	return len;
}

static bool name_equal(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char ca = *a >= 'A' && *a <= 'Z' ? *a - 'A' + 'a' : *a;
		char cb = *b >= 'A' && *b <= 'Z' ? *b - 'A' + 'a' : *b;

		if (ca != cb)
			return false;
	}
	return *a == *b;
}

/* "GFP_KERNEL", "gfp_kernel", "kernel"; "__GFP_ZERO", "zero". */
static bool name_matches(const char *word, const char *name)
{
	if (name_equal(word, name))
		return true;
	if (!strncmp(name, "__GFP_", 6))
		return name_equal(word, name + 6);
	return !strncmp(name, "GFP_", 4) && name_equal(word, name + 4);
}

int gfp_flag_parse(const char *word, gfp_t *gfp)
{
	for (size_t i = 0; i < ARRAY_SIZE(gfpflag_names); i++) {
		if (name_matches(word, gfpflag_names[i].name)) {
			*gfp = gfpflag_names[i].mask;
			return 0;
		}
	}
	return -EINVAL;
}
