/* SPDX-License-Identifier: MIT */
/*
 * Error numbers, with Linux's values so error codes read the same as in Linux (and as
 * in glibc's <errno.h>, which a host test may include next to this file: the values
 * are spelled exactly as glibc spells them, so the two sets of definitions agree).
 *
 * Kernel functions return them negated: 0 or a positive count on success, -EINVAL etc.
 * on failure.
 */
#ifndef PAGELAB_LIB_ERRNO_H
#define PAGELAB_LIB_ERRNO_H

#define ENOENT 2	/* no such file, entry or object */
#define EIO 5		/* input/output error: the hardware did not do what we asked */
#define ENXIO 6		/* no such device or address: a CPU that is not online */
#define E2BIG 7		/* argument or result too long (strscpy truncated) */
#define ENOMEM 12	/* out of memory */
#define EBUSY 16	/* resource in use */
#define EEXIST 17	/* already exists (a name in use) */
#define EINVAL 22	/* invalid argument: junk in a number, bad base ... */
#define ENOSPC 28	/* no space left in a fixed-size table or buffer */
#define ERANGE 34	/* result does not fit the type asked for */
#define EOPNOTSUPP 95	/* not supported (yet) */

#endif
