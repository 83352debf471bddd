// SPDX-License-Identifier: MIT
/*
 * Command-line option lookup.  Written for the early boot: no allocation, no
 * modification of the command line, and safe on any NUL-terminated input.
 */
#include "lib/cmdline.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* If the word starting at @w is @option (followed by @term or a blank/NUL), return the
 * character after it; otherwise NULL. */
static const char *match_word(const char *w, const char *option, char term)
{
	while (*option && *w == *option)
		w++, option++;
	if (*option)
		return NULL;
	if (term ? *w == term : (*w == 0 || is_blank(*w)))
		return w;
	return NULL;
}

static const char *skip_blanks(const char *s)
{
	while (is_blank(*s))
		s++;
	return s;
}

/* From the start of a word to the start of the next one (or the final NUL). */
static const char *next_word(const char *s)
{
	while (*s && !is_blank(*s))
		s++;
	return skip_blanks(s);
}

int cmdline_find_option_bool(const char *cmdline, const char *option)
{
	int pos = 0;

	if (!cmdline || !*option)
		return 0;
	for (const char *w = skip_blanks(cmdline); *w; w = next_word(w)) {
		pos++;
		if (match_word(w, option, 0))
			return pos;
	}
	return 0;
}

int cmdline_find_option(const char *cmdline, const char *option, char *buf, int bufsize)
{
	const char *value = NULL;
	int len = 0;

	if (!cmdline || !*option)
		return -1;
	for (const char *w = skip_blanks(cmdline); *w; w = next_word(w)) {
		const char *v = match_word(w, option, '=');

		if (v)
			value = v + 1;
	}
	if (!value)
		return -1;
	while (value[len] && !is_blank(value[len])) {
		if (len < bufsize - 1)
			buf[len] = value[len];
		len++;
	}
	if (bufsize > 0)
		buf[len < bufsize - 1 ? len : bufsize - 1] = 0;
	return len;
}
