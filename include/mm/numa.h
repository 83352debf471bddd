/* SPDX-License-Identifier: MIT */
/*
 * NUMA node numbers, as Linux names them (include/linux/numa.h).
 *
 * pagelab has one memory node, as a Linux kernel built without CONFIG_NUMA does, so
 * MAX_NUMNODES is 1 and node 0 is the only real node.  The two special values keep
 * Linux's meaning, because memblock's output shows them:
 *
 *   MAX_NUMNODES  stored in a region's nid: "not yet assigned to a node" (memblock_add
 *                 and memblock_reserve store it; debugfs prints it as 'x')
 *   NUMA_NO_NODE  passed to an allocator: "any node will do"
 */
#ifndef PAGELAB_MM_NUMA_H
#define PAGELAB_MM_NUMA_H

#define MAX_NUMNODES 1
#define NUMA_NO_NODE (-1)

#endif
