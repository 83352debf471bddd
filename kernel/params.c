// SPDX-License-Identifier: MIT
/*
 * The command line's options, in one table.
 *
 * Linux spreads its table over the kernel (early_param() and __setup() put rows into
 * linker sections) and walks it twice: parse_early_param() in setup_arch() runs the
 * early handlers, and parse_args() in start_kernel() sends every word nobody claimed to
 * init, naming them in one notice.  pagelab keeps the rows in one place, here, so what
 * is "unknown" is decided by one list that `grep` can read, and the same two walks run
 * over it.  Several options are still read where they are used, with cmdline_find_option()
 * (efi=debug and memblock=debug must act before the e820 table exists, slub_debug= when
 * SLUB starts): their rows have no handler and only make them known.
 *
 * Host-testable: tools/mmsim runs parse_early_param() through setup_arch_memory().
 */
#include "firmware/e820.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "lib/errno.h"
#include "lib/kstrtox.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/debug_race.h"
#include "mm/highmem.h"
#include "mm/page_alloc.h"

/* nr_cpus=N: start at most N CPUs, the boot CPU included (arch/x86_64/smpboot.c). */
static int parse_nr_cpus(const char *val)
{
	unsigned long long n;

	if (!val || kstrtoull(val, 0, &n) || n < 1) {
		pr_warn("nr_cpus=%s ignored: expected a CPU count of at least 1\n", val ? val : "");
		return -EINVAL;
	}
	nr_cpus_limit = n < NR_CPUS ? (unsigned int)n : NR_CPUS;
	return 0;
}

/* smpboot_silent=N: CPU N gets no IPI and never answers (kernel/arch/x86_64/smpboot.c). */
static int parse_smpboot_silent(const char *val)
{
	unsigned long long n;

	if (!val || kstrtoull(val, 0, &n) || n < 1 || n >= NR_CPUS) {
		pr_warn("smpboot_silent=%s ignored: expected a CPU number from 1 to %u\n",
			val ? val : "", NR_CPUS - 1);
		return -EINVAL;
	}
	smpboot_silent_mask |= 1UL << n;
	return 0;
}

const struct kernel_param kernel_params[] = {
	{ "console", NULL },       /* the console is COM1 (and the screen) whatever it says */
	{ "debug_race", debug_race_setup }, /* pagelab's teaching switch: mm/debug_race.c */
	{ "debug_spinlock", debug_spinlock_setup }, /* kernel/locking/spinlock_debug.c */
	{ "efi", NULL },           /* efi=debug: efi_memmap_setup() */
	{ "mem", parse_memopt },   /* the e820 table, firmware/e820.c */
	{ "memblock", NULL },      /* memblock=debug: early_memblock() */
	{ "memmap", parse_memmap_opt },
	{ "nr_cpus", parse_nr_cpus },    /* kernel/arch/x86_64/smpboot.c */
	{ "page_poison", early_page_poison_param }, /* mm/page_alloc_init.c */
	{ "slab_debug", NULL },    /* mm/slub.c, at kmem_cache_init() */
	{ "slub_debug", NULL },    /* the name before Linux 6.9; still accepted */
	{ "slub_sheaves", NULL },  /* pagelab's: mm/slub.c, at kmem_cache_init() */
	{ "smpboot_silent", parse_smpboot_silent }, /* pagelab's test switch: smpboot.c */
	{ "vmalloc", parse_vmalloc }, /* mm/highmem.c */
	{ "zones", parse_zones },
	{ NULL, NULL },
};

/* The longest value a handler is given; a longer one is malformed. */
#define PARAM_VALUE_MAX 256
/* The most unknown words of each kind listed (Linux panics past 32 of each). */
#define UNKNOWN_MAX 32

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* Linux's parameq(): '-' and '_' are one character in a parameter name. */
static char dash(char c)
{
	return c == '-' ? '_' : c;
}

const struct kernel_param *kernel_param_find(const char *name, size_t len)
{
	for (const struct kernel_param *p = kernel_params; p->name; p++) {
		size_t i = 0;

		while (i < len && p->name[i] && dash(name[i]) == dash(p->name[i]))
			i++;
		if (i == len && !p->name[i])
			return p;
	}
	return NULL;
}

/* One word of the command line: [start, start + len), its name the first name_len. */
struct param_word {
	const char *start;
	size_t len, name_len;
	bool has_value;
};

/*
 * The next word at or after *@pos; false at the end of the line or at a lone "--", after
 * which the words belong to init.
 */
static bool next_word(const char **pos, struct param_word *w)
{
	const char *s = *pos;

	while (is_blank(*s))
		s++;
	w->start = s;
	while (*s && !is_blank(*s))
		s++;
	w->len = s - w->start;
	*pos = s;
	if (!w->len || (w->len == 2 && !strncmp(w->start, "--", 2)))
		return false;
	for (w->name_len = 0; w->name_len < w->len && w->start[w->name_len] != '='; w->name_len++)
		;
	w->has_value = w->name_len < w->len;
	return true;
}

static bool is_module_param(const struct param_word *w)
{
	for (size_t i = 0; i < w->name_len; i++)
		if (w->start[i] == '.')
			return true;
	return false;
}

/* Run @p's handler on @w's value; false if it refused it. */
static bool run_setup(const struct kernel_param *p, const struct param_word *w)
{
	char val[PARAM_VALUE_MAX];
	size_t n = w->len - w->name_len - 1;

	if (!w->has_value)
		return p->setup(NULL) == 0;
	if (n >= sizeof(val))
		return false;
	memcpy(val, w->start + w->name_len + 1, n);
	val[n] = '\0';
	return p->setup(val) == 0;
}

int parse_early_param(const char *cmdline)
{
	const char *pos = cmdline ? cmdline : "";
	struct param_word w;
	int refused = 0;

	while (next_word(&pos, &w)) {
		const struct kernel_param *p = kernel_param_find(w.start, w.name_len);

		if (!p || !p->setup || run_setup(p, &w))
			continue;
		/* The words are Linux's (init/main.c, do_early_param), the name as typed. */
		pr_warn("Malformed early option '%.*s'\n", (int)w.name_len, w.start);
		refused++;
	}
	return refused;
}

/* Add @w to @list (@n long): a "name=value" word replaces one of the same name. */
static void add_unknown(struct param_word *list, int *n, const struct param_word *w)
{
	for (int i = 0; w->has_value && i < *n; i++)
		if (list[i].name_len == w->name_len &&
		    !strncmp(list[i].start, w->start, w->name_len)) {
			list[i] = *w;
			return;
		}
	if (*n < UNKNOWN_MAX)
		list[(*n)++] = *w;
}

int unknown_bootoptions(const char *cmdline, char *buf, size_t size)
{
	/* static: 2 KiB is much for a kernel stack, and boot runs this once */
	static struct param_word args[UNKNOWN_MAX], envs[UNKNOWN_MAX];
	const char *pos = cmdline ? cmdline : "";
	int nargs = 0, nenvs = 0;
	struct param_word w;
	size_t used = 0;

	while (next_word(&pos, &w))
		if (!kernel_param_find(w.start, w.name_len) && !is_module_param(&w))
			add_unknown(w.has_value ? envs : args, w.has_value ? &nenvs : &nargs, &w);
	if (!size)
		return nargs + nenvs;
	buf[0] = '\0';
	for (int i = 0; i < nargs + nenvs; i++) {
		const struct param_word *u = i < nargs ? &args[i] : &envs[i - nargs];
		int n = snprintf(buf + used, size - used, "%s%.*s", used ? " " : "", (int)u->len,
				 u->start);

		used = MIN(used + (size_t)n, size - 1);
	}
	return nargs + nenvs;
}

void print_unknown_bootoptions(const char *cmdline)
{
	static char buf[1024];

	if (unknown_bootoptions(cmdline, buf, sizeof(buf)))
		pr_notice("Unknown kernel command line parameters \"%s\", will be passed to "
			  "user space.\n", buf);
}
