/* SPDX-License-Identifier: MIT */
/*
 * Argument parsing shared by every shell command, so numbers and sizes are written the
 * same way everywhere and every mistake is reported the same way:
 *
 *   numbers   decimal "4096" or hex "0x1000" (no octal: "010" is ten, not eight, which
 *             is what a student typing a count means; Linux's kstrtoull base 0 differs)
 *   sizes     a number with an optional K, M or G suffix (either case, powers of 1024,
 *             as the kernel command line's mem=): "64K", "0x100000", "2M", "1G"
 *   choices   one word of a fixed list, e.g. kmalloc's "zero" and "dma"
 *
 * On a bad argument each parser prints one line naming the command, the argument and
 * what was expected, e.g.
 *
 *   history: count 'ten' is not a number (expected decimal, or hex with 0x)
 *
 * and returns a negative errno; the command then simply returns non-zero.
 */
#ifndef PAGELAB_SHELL_ARGS_H
#define PAGELAB_SHELL_ARGS_H

#include "types.h"

struct seq_file;

/*
 * arg_u64 - parse @s as a number (see above) into *@res.  @cmd and @what name the
 * command and the argument for the error message.  Returns 0, or -EINVAL (not a
 * number) / -ERANGE (does not fit 64 bits) after printing why; *@res is then untouched.
 */
int arg_u64(struct seq_file *m, const char *cmd, const char *what, const char *s, u64 *res);

/*
 * arg_u64_range - like arg_u64, and also require @min <= value <= @max (-ERANGE,
 * with the range in the message, otherwise).
 */
int arg_u64_range(struct seq_file *m, const char *cmd, const char *what, const char *s,
		  u64 min, u64 max, u64 *res);

/*
 * arg_size - parse @s as a size in bytes (a number with an optional K/M/G suffix) into
 * *@res.  Returns 0, or -EINVAL / -ERANGE (over 2^64 - 1 bytes) after printing why.
 * @s is a word of a shell line, so shorter than LE_LINE_MAX; a longer one is -ERANGE.
 */
int arg_size(struct seq_file *m, const char *cmd, const char *what, const char *s, u64 *res);

/*
 * arg_is_hex - whether @s starts with the hex prefix the parsers above accept, "0x" or
 * "0X", so a command that reads hex and decimal differently (`free 0x7` is a frame,
 * `free 7` a handle) decides as the parser does.
 */
bool arg_is_hex(const char *s);

/*
 * arg_lookup - find the row of @table named @s.  @table is an array of @row_size-byte
 * rows that each begin with a `const char *` name, ended by a row whose name is NULL: a
 * sub-command table, { "zero", __GFP_ZERO } pairs, or a NULL-terminated list of words.
 * Returns the row, or NULL after printing "<cmd>: unknown <what> '<s>' (expected a, b
 * or c)".  Call it as ARG_LOOKUP(), which passes the row size and types the result.
 */
const void *arg_lookup(struct seq_file *m, const char *cmd, const char *what, const char *s,
		       const void *table, size_t row_size);

#define ARG_LOOKUP(m, cmd, what, s, table)                                                 \
	((const __typeof__((table)[0]) *)arg_lookup(m, cmd, what, s, table, sizeof((table)[0])))

#endif
