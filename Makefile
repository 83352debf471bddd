# pagelab: one non-recursive Makefile for the loader, the kernel, the disk image and
# the tests.  `make help` lists the targets.  Everything built lands in build/.

BUILD    ?= build
IMG      := $(BUILD)/pagelab.img
KERNEL   := $(BUILD)/kernel.elf
EFI_APP  := $(BUILD)/efi/BOOTX64.EFI

CC       := gcc
LD       := ld
OBJCOPY  := objcopy
OBJDUMP  := objdump
PYTHON   := python3
QEMU     := qemu-system-x86_64

OVMF_CODE := /usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS := /usr/share/OVMF/OVMF_VARS_4M.fd

# `make run MEM=2G MACHINE=pc`
MEM      ?= 512M
MACHINE  ?= q35

VERSION  := 0.1.0
GIT_REV  := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

COMMON_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -Iinclude -MMD -MP

.DEFAULT_GOAL := all
.PHONY: all help deps run run-bios test check-unit check-qemu clean image kernel loader

all: $(IMG) $(BUILD)/kernel.asm ## build the loader, the kernel and build/pagelab.img

help: ## list the targets
	@echo "pagelab targets:"
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
		sed -E 's/^([a-zA-Z_-]+):.*## (.*)/  \1|\2/' | awk -F'|' '{printf "  %-12s %s\n", $$1, $$2}'
	@echo "variables: MEM=$(MEM) MACHINE=$(MACHINE) (q35 or pc), e.g. make run MEM=2G"

deps: ## install missing Debian packages (tools/install-deps.sh)
	@tools/install-deps.sh

# ---------------------------------------------------------------------------------------
# The kernel: freestanding, linked at KERNEL_VIRT_BASE, no red zone (interrupts would
# clobber it), no SSE (no FPU state is saved), -mcmodel=kernel for the top 2 GiB.

KERNEL_CFLAGS := $(COMMON_CFLAGS) -O2 -g -ffreestanding -fno-stack-protector -fno-pic \
	-fno-pie -mno-red-zone -mcmodel=kernel -mgeneral-regs-only -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -I$(BUILD)/include
KERNEL_LDFLAGS := -nostdlib -static -z max-page-size=4096 -z noexecstack \
	-T kernel/arch/x86_64/kernel.ld

KERNEL_C   := $(wildcard kernel/*.c kernel/lib/*.c kernel/arch/x86_64/*.c shell/*.c mm/*.c)
KERNEL_S   := $(wildcard kernel/arch/x86_64/*.S)
KERNEL_OBJ := $(patsubst %,$(BUILD)/kernel-obj/%.o,$(KERNEL_C) $(KERNEL_S))

$(BUILD)/kernel-obj/%.c.o: %.c
	@mkdir -p $(@D)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/kernel-obj/%.S.o: %.S
	@mkdir -p $(@D)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

# The git revision goes into the banner; rewrite the header only when it changes.
$(BUILD)/include/generated/version.h: FORCE
	@mkdir -p $(@D)
	@printf '#define PAGELAB_VERSION "%s"\n#define PAGELAB_GIT "%s"\n' \
		'$(VERSION)' '$(GIT_REV)' > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@
$(BUILD)/kernel-obj/kernel/version.c.o: $(BUILD)/include/generated/version.h
$(BUILD)/kernel-obj/kernel/version.c.o: KERNEL_CFLAGS += -include generated/version.h

$(KERNEL): $(KERNEL_OBJ) kernel/arch/x86_64/kernel.ld
	$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJ)

# The disk gets a copy without debug information (smaller, so faster to load under
# TCG); build/kernel.elf keeps the symbols for gdb and objdump.
$(BUILD)/kernel-stripped.elf: $(KERNEL)
	$(OBJCOPY) --strip-debug $< $@

# Like xv6: a disassembly listing next to the binary, for reading and for debugging.
$(BUILD)/kernel.asm: $(KERNEL)
	$(OBJDUMP) -d -S --no-show-raw-insn $< > $@

kernel: $(KERNEL) ## build only the kernel ELF

# ---------------------------------------------------------------------------------------
# The UEFI loader, built the gnu-efi way: a position-independent ELF shared object,
# turned into a PE/COFF EFI application by objcopy.

EFI_CFLAGS := $(COMMON_CFLAGS) -O2 -fpic -ffreestanding -fno-stack-protector \
	-fno-stack-check -fshort-wchar -mno-red-zone -maccumulate-outgoing-args \
	-DGNU_EFI_USE_MS_ABI -I/usr/include/efi -I/usr/include/efi/x86_64
EFI_LDFLAGS := -shared -Bsymbolic -nostdlib -znocombreloc -T /usr/lib/elf_x86_64_efi.lds
EFI_SECTIONS := .text .sdata .data .rodata .dynamic .dynsym .rel .rela .rela.* .reloc
EFI_OBJ := $(BUILD)/efi/loader.o $(BUILD)/efi/elf.o

$(BUILD)/efi/loader.o: efi/loader.c
	@mkdir -p $(@D)
	$(CC) $(EFI_CFLAGS) -c $< -o $@

$(BUILD)/efi/elf.o: boot/elf.c
	@mkdir -p $(@D)
	$(CC) $(EFI_CFLAGS) -c $< -o $@

$(BUILD)/efi/loader.so: $(EFI_OBJ)
	$(LD) $(EFI_LDFLAGS) /usr/lib/crt0-efi-x86_64.o $(EFI_OBJ) -L/usr/lib -lgnuefi -lefi -o $@

$(EFI_APP): $(BUILD)/efi/loader.so
	$(OBJCOPY) $(addprefix -j ,$(EFI_SECTIONS)) --target efi-app-x86_64 --subsystem=10 $< $@

loader: $(EFI_APP) ## build only the UEFI loader

# ---------------------------------------------------------------------------------------
# The disk image (recipe and layout in disk/mkimage.sh).

$(IMG): disk/mkimage.sh $(EFI_APP) $(BUILD)/kernel-stripped.elf disk/cmdline.txt
	disk/mkimage.sh $@ $(EFI_APP) $(BUILD)/kernel-stripped.elf disk/cmdline.txt

image: $(IMG) ## build build/pagelab.img

# ---------------------------------------------------------------------------------------
# Running.  The serial console is the terminal; Ctrl-A X quits QEMU, Ctrl-A C switches
# to the QEMU monitor and back.  Each run gets a fresh copy of the writable UEFI
# variable store.

QEMU_COMMON := -machine $(MACHINE) -m $(MEM) -drive format=raw,file=$(IMG) -nographic

run: deps ## boot build/pagelab.img under OVMF (UEFI), console on this terminal
	@$(MAKE) --no-print-directory all
	cp $(OVMF_VARS) $(BUILD)/OVMF_VARS.fd
	$(QEMU) $(QEMU_COMMON) \
		-drive if=pflash,format=raw,readonly=on,file=$(OVMF_CODE) \
		-drive if=pflash,format=raw,file=$(BUILD)/OVMF_VARS.fd

run-bios: deps ## boot the same image under SeaBIOS (legacy BIOS path)
	@$(MAKE) --no-print-directory all
	$(QEMU) $(QEMU_COMMON)

# ---------------------------------------------------------------------------------------
# Host unit tests: the kernel's own sources, compiled for Linux against the shims in
# tests/host/include (which win over include/ by -I order), under ASan and UBSan.
# Kernel code that shares a name with libc (memcpy, snprintf, ...) is renamed by
# tests/host/rename_libc.h so the tests exercise ours, not glibc's.

HOST_CFLAGS := $(COMMON_CFLAGS) -g -O1 -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -DPAGELAB_HOST \
	-Itests/host/include
HOST_KERNEL_C := $(wildcard kernel/lib/*.c) kernel/boot_info.c kernel/efi.c kernel/e820.c \
	kernel/acpi.c boot/elf.c $(wildcard tests/host/*.c)
HOST_KERNEL_OBJ := $(patsubst %,$(BUILD)/host/%.o,$(HOST_KERNEL_C))
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

HOST_CFLAGS += -include tests/host/rename_libc.h -fno-builtin

$(BUILD)/host/%.c.o: %.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/host/libpagelab.a: $(HOST_KERNEL_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/host/libpagelab.a
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $< $(BUILD)/host/libpagelab.a -lcriterion -o $@

check-unit: $(UNIT_TESTS) ## host unit tests (Criterion, ASan + UBSan)
	@set -e; for t in $(UNIT_TESTS); do echo "== $$t"; $$t --jobs 2; done

check-qemu: all ## QEMU boot tests on real firmware (tests/qemu)
	PAGELAB_BUILD=$(BUILD) $(PYTHON) tests/qemu/run.py --jobs 2

test: deps ## everything: build, host unit tests, QEMU tests
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory check-unit
	@$(MAKE) --no-print-directory check-qemu

clean: ## remove build/
	rm -rf $(BUILD)

FORCE:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
