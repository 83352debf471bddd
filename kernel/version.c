// SPDX-License-Identifier: MIT
/* The banner `version` and the first log line print; the Makefile supplies the parts. */
#include "kernel/setup.h"

#ifndef PAGELAB_VERSION
#define PAGELAB_VERSION "0.0.0"
#endif
#ifndef PAGELAB_GIT
#define PAGELAB_GIT "unknown"
#endif

/* Laid out as Linux's /proc/version: name, version, (compiler), build number. */
const char pagelab_banner[] =
	"pagelab version " PAGELAB_VERSION " (" PAGELAB_GIT ") (gcc version " __VERSION__ ") #1";
