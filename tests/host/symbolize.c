// SPDX-License-Identifier: MIT
/*
 * Caller names for host tests of memblock=debug and other %pS output.  The host build has
 * no kallsyms table, so %pS prints a bare address there (include/lib/printf.h); a test
 * that wants to know *which* function was named turns those addresses back into names
 * with the sanitizer runtime's symbolizer, which reads the test's own debug information.
 */
#include <sanitizer/common_interface_defs.h>

#include "host/printk_capture.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "types.h"

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* If [@s, @end) is "0x" and hex digits, its value in *@addr. */
static bool parse_address(const char *s, const char *end, unsigned long *addr)
{
	if (end - s < 3 || s[0] != '0' || s[1] != 'x')
		return false;
	*addr = 0;
	for (s += 2; s < end; s++) {
		if (!is_hex(*s))
			return false;
		*addr = *addr * 16 + (*s <= '9' ? *s - '0' : *s - 'a' + 10);
	}
	return true;
}

/*
 * The function holding return address @addr, as kallsyms would name it: the symbolizer
 * lists the inlined functions first and the real one last, each NUL-terminated, with an
 * empty string after the last.  False if @addr is in no function (a size or a count
 * that happens to end a line).
 */
static bool function_at(unsigned long addr, char *name, size_t size)
{
	char frames[1024];
	const char *last = NULL;

	frames[0] = '\0';
	/* The byte before a return address is still inside the call instruction. */
	__sanitizer_symbolize_pc((void *)(addr - 1), "%f", frames, sizeof(frames));
	for (const char *f = frames; f < frames + sizeof(frames) && *f; f += strlen(f) + 1)
		last = f;
	/* Unknown: "??", "<null>" or the bare address, whichever the symbolizer prefers. */
	if (!last || *last == '?' || *last == '<' || !strncmp(last, "0x", 2))
		return false;
	strscpy(name, last, size);
	return true;
}

const char *host_symbolize_callers(const char *log)
{
	static char out[HOST_PRINTK_BUF_SIZE];
	size_t len = 0;

	while (*log && len < sizeof(out) - 1) {
		const char *eol = strchr(log, '\n') ? strchr(log, '\n') : log + strlen(log);
		const char *word = eol;
		unsigned long addr;
		char name[256];

		while (word > log && word[-1] != ' ')
			word--;
		if (word > log && parse_address(word, eol, &addr) &&
		    function_at(addr, name, sizeof(name))) {
			len += scnprintf(out + len, sizeof(out) - len, "%.*s%s", (int)(word - log), log,
					 name);
		} else {
			len += scnprintf(out + len, sizeof(out) - len, "%.*s", (int)(eol - log), log);
		}
		if (*eol == '\n' && len < sizeof(out) - 1)
			out[len++] = '\n';
		log = *eol ? eol + 1 : eol;
	}
	out[len] = '\0';
	return out;
}
