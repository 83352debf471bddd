/* SPDX-License-Identifier: MIT */
/*
 * The kernel's parameters: the one table of every command-line option pagelab knows
 * (kernel/params.c), and the two walks over the command line that Linux's init/main.c
 * makes with its tables.
 *
 *   parse_early_param(cmdline)          each known option with a handler gets its value,
 *                                       in command-line order; a value the handler
 *                                       refuses is reported, and changes nothing
 *   print_unknown_bootoptions(cmdline)  one line naming every word no row knows
 *
 * An option is "name=value" or a bare "name"; words are separated by blanks, '-' and
 * '_' are the same character in a name, and nothing after a lone "--" is read (Linux
 * hands it to init).  Names with a '.' are module parameters to Linux, and neither
 * known nor reported, as there.
 */
#ifndef PAGELAB_KERNEL_PARAMS_H
#define PAGELAB_KERNEL_PARAMS_H

#include "types.h"

struct kernel_param {
	const char *name;
	/*
	 * Called by parse_early_param() with the text after '=' (NUL-terminated), or NULL
	 * for a bare word; returns 0, or -EINVAL for a value it cannot use.  NULL when the
	 * option is read where it is used (efi=, memblock=, slub_debug=, console=).
	 */
	int (*setup)(const char *val);
};

/* kernel_params[] - the table, NULL-name terminated. */
extern const struct kernel_param kernel_params[];

/*
 * kernel_param_find - the row whose name is the @len characters at @name (with '-' and
 * '_' the same), or NULL.
 */
const struct kernel_param *kernel_param_find(const char *name, size_t len);

/*
 * parse_early_param - run the handler of every known option on @cmdline (may be NULL),
 * in order.  A refused value gets Linux's "Malformed early option '<name>'", and the
 * option keeps its default.  Returns how many were refused.  x86 Linux runs its early
 * parameters in setup_arch(), once the firmware's map is the e820 table; so does
 * setup_arch_memory().
 */
int parse_early_param(const char *cmdline);

/*
 * unknown_bootoptions - the words of @cmdline (may be NULL) that are no known option,
 * as Linux lists them: bare words first, then "name=value" ones (a later value of a name
 * replaces an earlier one), each once, separated by one blank, into @buf (@size bytes,
 * NUL-terminated, truncated if need be).  Returns how many there are.
 */
int unknown_bootoptions(const char *cmdline, char *buf, size_t size);

/*
 * print_unknown_bootoptions - if there are any, Linux's notice "Unknown kernel command
 * line parameters "...", will be passed to user space." (pagelab has no user space: it
 * is the way to say they did nothing).
 */
void print_unknown_bootoptions(const char *cmdline);

#endif
