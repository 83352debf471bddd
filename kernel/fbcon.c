// SPDX-License-Identifier: MIT
/*
 * The screen console: a struct vt (kernel/vt.c) drawn either on a pixel framebuffer
 * with the built-in font (UEFI's GOP gives one) or, through the PC's VGA text driver
 * (kernel/arch/x86_64/vgacon.c), into the VGA text buffer (the BIOS path leaves the card
 * in 80x25 text mode); registered as a console next to ttyS0.
 *
 *   framebuffer (32 bpp)                     cell (row, col) covers pixels
 *   +-------------------------------+        x = col * 8 .. + 7
 *   |pagelab> help                  |        y = row * 16 .. + 15
 *   |  help    list commands, ...   |        a glyph row is one byte, bit 7 leftmost;
 *   |                               |        set bits get the foreground colour
 *   +-------------------------------+
 *
 * Scrolling moves the pixels up by one text row (16 scan lines) and blanks the last.
 * Both buffers are device memory, reached through ioremap() (the kernel's own page
 * tables map only RAM by themselves).
 */
#include "arch/memory.h"
#include "arch/pgtable.h"
#include "boot/boot_info.h"
#include "kernel/console.h"
#include "kernel/font.h"
#include "kernel/printk.h"
#include "kernel/vt.h"

static struct vt screen_vt;

/* ---- pixels ---- */

struct fb_info {
	u8 *base;
	u32 width, height, pitch;
	u32 fg, bg;
};

static struct fb_info fb;

static u32 rgb(const struct boot_framebuffer *bf, u8 r, u8 g, u8 b)
{
	return (u32)r << bf->red_shift | (u32)g << bf->green_shift | (u32)b << bf->blue_shift;
}

static void fb_draw(struct vt *vt, unsigned int row, unsigned int col, char c, bool cursor)
{
	const u8 *glyph = font_8x16[(c >= FONT_FIRST && c <= FONT_LAST ? c : '?') - FONT_FIRST];
	u32 fg = cursor ? fb.bg : fb.fg, bg = cursor ? fb.fg : fb.bg;
	u8 *line = fb.base + (size_t)row * FONT_HEIGHT * fb.pitch + col * FONT_WIDTH * 4;

	(void)vt;
	for (int y = 0; y < FONT_HEIGHT; y++, line += fb.pitch) {
		volatile u32 *px = (volatile u32 *)line;

		for (int x = 0; x < FONT_WIDTH; x++)
			px[x] = (glyph[y] & (0x80 >> x)) ? fg : bg;
	}
}

static void fb_scroll_up(struct vt *vt)
{
	size_t row_bytes = (size_t)FONT_HEIGHT * fb.pitch;
	size_t keep = (size_t)(vt->rows - 1) * row_bytes / 8;
	volatile u64 *dst = (volatile u64 *)fb.base;
	volatile u64 *src = (volatile u64 *)(fb.base + row_bytes);
	u64 blank = (u64)fb.bg << 32 | fb.bg;

	/* 8 bytes at a time: the string.c memmove is byte-wise and this is megabytes. */
	for (size_t i = 0; i < keep; i++)
		dst[i] = src[i];
	for (size_t i = 0; i < row_bytes / 8; i++)
		dst[keep + i] = blank;
}

static const struct vt_ops fb_ops = { .draw = fb_draw, .scroll_up = fb_scroll_up };

static bool fb_probe(const struct boot_framebuffer *bf)
{
	if (bf->bpp != 32 || bf->width < FONT_WIDTH * 20 || bf->height < FONT_HEIGHT * 5 ||
	    (u64)bf->pitch * bf->height > bf->size)
		return false;
	fb.base = ioremap(bf->base, (u64)bf->pitch * bf->height);
	if (!fb.base)
		return false;
	fb.width = bf->width, fb.height = bf->height, fb.pitch = bf->pitch;
	fb.fg = rgb(bf, 0xaa, 0xaa, 0xaa); /* the PC console's light grey on black */
	fb.bg = rgb(bf, 0, 0, 0);
	vt_init(&screen_vt, bf->height / FONT_HEIGHT, bf->width / FONT_WIDTH, &fb_ops, NULL);
	return true;
}

/* ---- the console ---- */

static void screen_write(const char *s, size_t n)
{
	vt_write(&screen_vt, s, n);
}

static struct console screen_console = { .write = screen_write };

bool screen_init(const struct boot_info *bi)
{
	const struct boot_framebuffer *bf = &bi->fb;
	bool ok = false;

	if (bf->type == BOOT_FB_RGB) {
		screen_console.name = "fb0";
		ok = fb_probe(bf);
	} else if (bf->type == BOOT_FB_VGA_TEXT) {
		screen_console.name = "vga0";
		ok = vgacon_probe(&screen_vt, bf);
	}
	if (!ok) {
		pr_info("console: no usable screen (framebuffer type %u)\n", bf->type);
		return false;
	}
	register_console(&screen_console, true);
	pr_info("console [%s] enabled: %ux%u characters%s\n", screen_console.name,
		screen_vt.cols, screen_vt.rows,
		bf->type == BOOT_FB_RGB ? ", 8x16 font" : " (VGA text mode)");
	return true;
}
