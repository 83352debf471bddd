/* SPDX-License-Identifier: MIT */
/* Looking up options on the kernel command line ("efi=debug quiet ..."). */
#ifndef PAGELAB_LIB_CMDLINE_H
#define PAGELAB_LIB_CMDLINE_H

#include "types.h"

/*
 * cmdline_find_option_bool - whether the word @option appears in @cmdline on its own
 * (separated by blanks), as Linux's function of the same name.  Returns its 1-based
 * position, or 0 if it is absent or @cmdline is NULL.
 */
int cmdline_find_option_bool(const char *cmdline, const char *option);

/*
 * cmdline_find_option - copy the value of "@option=value" into @buf (NUL-terminated,
 * truncated to @bufsize - 1).  Returns the value's full length, or -1 if absent.
 * The last occurrence wins, as with Linux's early parameters.
 */
int cmdline_find_option(const char *cmdline, const char *option, char *buf, int bufsize);

#endif
