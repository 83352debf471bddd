// SPDX-License-Identifier: MIT
/*
 * The VGA text console: the PC's 80x25 text buffer, two bytes a cell (character, colour),
 * and the CRT controller's cursor registers behind ports 0x3d4/0x3d5.  The BIOS path
 * leaves the card in this mode; kernel/fbcon.c picks this driver when boot_info says so.
 *
 *   cell (row, col) = vga[row * cols + col] = attribute << 8 | character
 */
#include "arch/io.h"
#include "arch/pgtable.h"
#include "boot/boot_info.h"
#include "kernel/console.h"
#include "kernel/vt.h"

#define VGA_CRTC_INDEX 0x3d4
#define VGA_CRTC_DATA 0x3d5
#define VGA_ATTR 0x07 /* light grey on black */

static volatile u16 *vga;

static void vga_draw(struct vt *vt, unsigned int row, unsigned int col, char c, bool cursor)
{
	(void)cursor; /* the card draws the cursor itself */
	vga[row * vt->cols + col] = (u16)VGA_ATTR << 8 | (u8)c;
}

static void vga_scroll_up(struct vt *vt)
{
	unsigned int n = (vt->rows - 1) * vt->cols;

	for (unsigned int i = 0; i < n; i++)
		vga[i] = vga[i + vt->cols];
	for (unsigned int i = 0; i < vt->cols; i++)
		vga[n + i] = (u16)VGA_ATTR << 8 | ' ';
}

/* The CRTC's cursor location registers (0x0e high, 0x0f low byte) take a cell index. */
static void vga_move_cursor(struct vt *vt, unsigned int row, unsigned int col)
{
	u16 pos = row * vt->cols + col;

	outb(0x0e, VGA_CRTC_INDEX);
	outb(pos >> 8, VGA_CRTC_DATA);
	outb(0x0f, VGA_CRTC_INDEX);
	outb(pos & 0xff, VGA_CRTC_DATA);
}

static const struct vt_ops vga_ops = {
	.draw = vga_draw, .scroll_up = vga_scroll_up, .move_cursor = vga_move_cursor,
};

bool vgacon_probe(struct vt *vt, const struct boot_framebuffer *bf)
{
	if (bf->width == 0 || bf->height == 0 || (u64)bf->width * bf->height * 2 > bf->size)
		return false;
	vga = ioremap(bf->base, (u64)bf->width * bf->height * 2);
	if (!vga)
		return false;
	vt_init(vt, bf->height, bf->width, &vga_ops, NULL);
	return true;
}
