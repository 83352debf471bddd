// SPDX-License-Identifier: MIT
/* A fresh register set for intcall() (bioscall.S explains the glove box). */
#include "lib/string.h"
#include "boot16.h"

void initregs(struct biosregs *r)
{
	memset(r, 0, sizeof(*r));
	r->eflags = X86_EFLAGS_CF;
}
