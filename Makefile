# SPDX-License-Identifier: MIT
# pagelab: one non-recursive Makefile for the loader, the kernel, the disk image and
# the tests.  `make help` lists the targets.  Everything built lands in build/.

BUILD    ?= build
IMG      := $(BUILD)/pagelab.img
KERNEL   := $(BUILD)/kernel.elf
EFI_APP  := $(BUILD)/efi/BOOTX64.EFI

# The kernel and the loaders are built by the target's compiler and binutils:
# CROSS_COMPILE=x86_64-linux-gnu- (or x86_64-elf-) on a host that is not x86-64.  The host
# tests, mmsim, the labs' host checks and the benchmarks run here, so they use HOSTCC.
# By default: none on x86-64, x86_64-linux-gnu- on other Linux hosts (Debian's and
# Fedora's cross gcc), x86_64-elf- on macOS (Homebrew's); tools/install-deps.sh agrees.
HOST_OS   := $(shell uname -s)
HOST_ARCH := $(shell uname -m)
CROSS_COMPILE ?= $(if $(filter Darwin,$(HOST_OS)),x86_64-elf-,$(if $(filter x86_64 amd64,$(HOST_ARCH)),,x86_64-linux-gnu-))
CC       := $(CROSS_COMPILE)gcc
LD       := $(CROSS_COMPILE)ld
OBJCOPY  := $(CROSS_COMPILE)objcopy
OBJDUMP  := $(CROSS_COMPILE)objdump
NM       := $(CROSS_COMPILE)nm
HOSTCC   ?= gcc
PYTHON   := python3
QEMU     := qemu-system-x86_64

# Where this machine keeps the firmware and gnu-efi: tools/install-deps.sh searches the
# usual places of each distribution and Homebrew (`make paths` shows what it found), and
# any of them can be given instead: `make run OVMF_CODE=... OVMF_VARS=...`.  The search
# runs once per make, and only when a recipe first needs a path - after `deps` has
# installed what was missing, so a first `make run` finds what it just installed.
FOUND_PATHS = $(or $(FOUND_MEMO),$(eval FOUND_MEMO := $(shell tools/install-deps.sh --paths))$(FOUND_MEMO))
found = $(patsubst $(1)=%,%,$(filter $(1)=%,$(FOUND_PATHS)))
OVMF_CODE   ?= $(call found,OVMF_CODE)
OVMF_VARS   ?= $(call found,OVMF_VARS)
SEABIOS     ?= $(call found,SEABIOS)
GNUEFI_INC  ?= $(call found,GNUEFI_INC)
GNUEFI_CRT0 ?= $(call found,GNUEFI_CRT0)
GNUEFI_LDS  ?= $(call found,GNUEFI_LDS)
GNUEFI_LIB  ?= $(call found,GNUEFI_LIB)
PATH_VARS   := OVMF_CODE OVMF_VARS SEABIOS GNUEFI_INC GNUEFI_CRT0 GNUEFI_LDS GNUEFI_LIB

# The QEMU tests, the grader and the benchmarks boot the same firmware files: they get
# them in the environment (tests/qemu/machine.py; run alone, it asks this Makefile).
QEMU_TEST_ENV = PAGELAB_OVMF_CODE='$(OVMF_CODE)' PAGELAB_OVMF_VARS='$(OVMF_VARS)' \
	PAGELAB_SEABIOS='$(SEABIOS)'

# `make run MEM=2G MACHINE=pc`; CPU=qemu64,+pdpe1gb gives the guest 1 GiB pages (lab 4).
# Each run target first refuses a MEM its firmware cannot boot in (OVMF faults at 32M):
# the minimums live in tools/qemu_mem.py, which the QEMU tests use too.
MEM      ?= 512M
check_mem = @python3 tools/qemu_mem.py $(1) '$(subst ','\'',$(MEM))' 'make $@'
MACHINE  ?= q35
CPU      ?=
# `make run SMP=4`: QEMU's -smp, the vCPUs the kernel brings up (docs/mm/smp.md).  One by
# default: the labs' quoted outputs are a 1-CPU machine's, and under TCG every extra vCPU
# is a host thread that slows a 2-core host.
SMP      ?= 1

# The release number: a v<x.y.z> tag on this very commit, otherwise the file `version`
# (x.y.z only: the banner's format is tested).  A release bumps `version` and tags the
# commit v<version> (CHANGELOG.md); `make dist` refuses a tag that disagrees with the file.
FILE_VERSION := $(strip $(shell cat version 2>/dev/null))
TAG_VERSION  := $(patsubst v%,%,$(shell git describe --tags --exact-match --match 'v[0-9]*' 2>/dev/null))
VERSION  := $(or $(TAG_VERSION),$(FILE_VERSION),0.0.0)
GIT_REV  := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
# The tarball's name: the tag's version, or past a tag git's "0.1.0-5-g1234abc"; with no
# tag at all, the file's version and the commit ("0.1.0-g1234abc").
DIST_VERSION = $(or $(patsubst v%,%,$(shell git describe --tags --match 'v[0-9]*' 2>/dev/null)),$(VERSION)-g$(shell git rev-parse --short HEAD 2>/dev/null))

COMMON_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -Iinclude -MMD -MP

.DEFAULT_GOAL := all
.PHONY: all help deps paths run run-bios run-gui debug test check-unit check-tsan check-qemu mmsim check-mbr-limit clean image kernel loader
.PHONY: bench bench-deps bench-buddy bench-slub bench-memmap bench-smp
.PHONY: container-image container-run container-grade test-container
.PHONY: fuzz fuzz-build fuzz-smoke
.PHONY: doclint spdx dist lab-start lab-reset lab-solution lab-status grade lab-verify
.PHONY: handout handin test-course test-matrix test-mutation soak

all: $(IMG) $(BUILD)/kernel.asm $(BUILD)/mmsim ## build the loaders, the kernel, build/pagelab.img and build/mmsim

help: ## list the targets
	@echo "pagelab targets:"
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
		sed -E 's/^([a-zA-Z_-]+):.*## (.*)/\1|\2/' | awk -F'|' '{printf "  %-16s %s\n", $$1, $$2}'
	@echo "variables (with run, run-bios, run-gui, debug):"
	@echo "  MEM=$(MEM) MACHINE=$(MACHINE) (q35 or pc) FW=$(FW) (run-gui, debug: uefi or bios)"
	@echo "  CPU=qemu64,+pdpe1gb  QEMU's -cpu (that one has 1 GiB pages; default: QEMU's own)"
	@echo "  SMP=$(SMP)  QEMU's -smp: how many CPUs (SMP=4, or SMP=2,maxcpus=4)"
	@echo "  CMDLINE=\"memblock=debug\"  boot with this kernel command line (grade too)"
	@echo "variables (tests): T=memblock F='memblock_add/*' (check-unit), T=buddy (check-qemu),"
	@echo "  LAB=N (grade, lab-verify), BUILD=$(BUILD) (where everything built goes)"
	@echo "  T=elf FUZZ_SECONDS=$(FUZZ_SECONDS) (fuzz: one harness, seconds each), FUZZ_CC=$(FUZZ_CC)"
	@echo "variables (other systems; README.md, \"On other systems\"):"
	@echo "  CROSS_COMPILE=x86_64-linux-gnu- (or x86_64-elf-) the kernel's compiler; HOSTCC=$(HOSTCC)"
	@echo "  $(PATH_VARS)"
	@echo "    where the firmware and gnu-efi are, if \`make paths\` did not find them"

# What `deps` checks: everything but the benchmarks, or what the target that needs it
# needs (a target-specific value reaches the target's prerequisites).  Paths given on
# make's command line (OVMF_CODE=..., ...) reach the script in its environment.
DEPS_FOR  := test
run run-bios run-gui lab-run: DEPS_FOR := run
grade: DEPS_FOR := grade
fuzz fuzz-build fuzz-smoke: DEPS_FOR := fuzz
debug: DEPS_FOR := debug

deps: ## find the tools and files run/test/grade need; install the missing with apt-get, or say how
	@CROSS_COMPILE='$(CROSS_COMPILE)' HOSTCC='$(HOSTCC)' FUZZ_CC='$(FUZZ_CC)' tools/install-deps.sh $(DEPS_FOR)

paths: ## show the compilers, firmware and gnu-efi files this machine's build uses
	@echo "CC=$(CC) LD=$(LD) OBJCOPY=$(OBJCOPY) HOSTCC=$(HOSTCC)"
	@$(foreach v,$(PATH_VARS),echo "$(v)=$($(v))";)

# ---------------------------------------------------------------------------------------
# The kernel: freestanding, linked at KERNEL_VIRT_BASE, no red zone (interrupts would
# clobber it), no SSE (no FPU state is saved), -mcmodel=kernel for the top 2 GiB.
# Frame pointers and no sibling calls, as Linux with CONFIG_FRAME_POINTER: a tail call
# would leave its caller out of an oops backtrace and out of every %pS of _RET_IP_.

KERNEL_CFLAGS := $(COMMON_CFLAGS) -O2 -g -ffreestanding -fno-stack-protector -fno-pic \
	-fno-pie -mno-red-zone -mcmodel=kernel -mgeneral-regs-only -fno-omit-frame-pointer \
	-fno-optimize-sibling-calls -fno-asynchronous-unwind-tables -I$(BUILD)/include
KERNEL_LDFLAGS := -nostdlib -static -z max-page-size=4096 -z noexecstack \
	-T kernel/arch/x86_64/kernel.ld

# The self-test suites register themselves in a linker section and run in link order
# (include/kernel/selftest.h): $(sort) keeps that order by path whatever make's globbing
# does, so `selftest` lists the same suites in the same order here and on the host.
KERNEL_C   := $(filter-out %_selftest.c,$(wildcard kernel/*.c kernel/lib/*.c firmware/*.c kernel/arch/x86_64/*.c shell/*.c))
# The lock code, and its self-test suite (`selftest spinlock`), before mm's suites.
KERNEL_C   += $(sort $(wildcard kernel/locking/*.c))
KERNEL_C   += $(sort $(wildcard mm/*.c))
# The architecture's suites (selftest smp) after the memory manager's.
KERNEL_C   += $(sort $(wildcard kernel/arch/x86_64/*_selftest.c))
# The labs' in-kernel self-tests (`selftest lab2`), kept with the labs in tests/labs/.
KERNEL_C   += $(sort $(wildcard tests/labs/*/selftest.c))
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

# Two link passes give the kernel its own symbol table for oops backtraces, as Linux's
# kallsyms does (include/kernel/kallsyms.h): pass 1 links an empty table, tools/kallsyms.py
# turns pass 1's text symbols into kallsyms.S, pass 2 links that.  The table sits at the
# end of .rodata, so no function moves between the passes; the cmp proves it.
KALLSYMS_NM = $(NM) -n -S --defined-only $(1) | grep -E ' [tTW] ' | grep -v ' \.L'

$(BUILD)/kallsyms0.S: tools/kallsyms.py
	@mkdir -p $(@D)
	$(PYTHON) tools/kallsyms.py --empty > $@

$(BUILD)/kernel.tmp.elf: $(KERNEL_OBJ) $(BUILD)/kallsyms0.o kernel/arch/x86_64/kernel.ld
	$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJ) $(BUILD)/kallsyms0.o

$(BUILD)/kallsyms.S: $(BUILD)/kernel.tmp.elf tools/kallsyms.py
	$(NM) -n -S --defined-only $< | $(PYTHON) tools/kallsyms.py > $@

# A static pattern rule: a plain `kallsyms%.o` pattern needs a non-empty stem, so it
# would miss kallsyms.o and leave it to make's built-in rule, without the kernel's flags.
$(BUILD)/kallsyms0.o $(BUILD)/kallsyms.o: %.o: %.S
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(KERNEL): $(KERNEL_OBJ) $(BUILD)/kallsyms.o kernel/arch/x86_64/kernel.ld
	$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJ) $(BUILD)/kallsyms.o
	@$(call KALLSYMS_NM,$(BUILD)/kernel.tmp.elf) > $(BUILD)/kallsyms.pass1
	@$(call KALLSYMS_NM,$@) > $(BUILD)/kallsyms.pass2
	@cmp -s $(BUILD)/kallsyms.pass1 $(BUILD)/kallsyms.pass2 || \
		{ echo "kallsyms: text symbols moved between link passes"; rm -f $@; exit 1; }

# The disk gets a copy without debug information (smaller, so faster to load under
# TCG), sealed: a checksum record both loaders verify (include/boot/seal.h).
# build/kernel.elf keeps the symbols for gdb and objdump.
$(BUILD)/kernel-stripped.elf: $(KERNEL) tools/kernel_seal.py
	$(OBJCOPY) --strip-debug $< $@.unsealed
	$(PYTHON) tools/kernel_seal.py $@.unsealed $@
	@rm -f $@.unsealed

# Like xv6: a disassembly listing next to the binary, for reading and for debugging.
$(BUILD)/kernel.asm: $(KERNEL)
	$(OBJDUMP) -d -S --no-show-raw-insn $< > $@

kernel: $(KERNEL) ## build only the kernel ELF

# ---------------------------------------------------------------------------------------
# The UEFI loader, built the gnu-efi way: a position-independent ELF shared object,
# turned into a PE/COFF EFI application by objcopy.

EFI_CFLAGS := $(COMMON_CFLAGS) -O2 -fpic -ffreestanding -fno-stack-protector \
	-fno-stack-check -fshort-wchar -mno-red-zone -maccumulate-outgoing-args \
	-DGNU_EFI_USE_MS_ABI
EFI_LDFLAGS := -shared -Bsymbolic -nostdlib -znocombreloc -z defs
# gnu-efi's files are found (or given) only when the loader is built; a clear stop if not.
GNUEFI_CHECK = $(if $(and $(GNUEFI_INC),$(GNUEFI_CRT0),$(GNUEFI_LDS),$(GNUEFI_LIB)),,\
	$(error gnu-efi not found: run `make deps`, or give GNUEFI_INC= GNUEFI_CRT0= GNUEFI_LDS= GNUEFI_LIB=))
EFI_SECTIONS := .text .sdata .data .rodata .dynamic .dynsym .rel .rela .rela.* .reloc
EFI_OBJ := $(BUILD)/efi/efi/loader.o $(patsubst %.c,$(BUILD)/efi/%.o,$(wildcard boot/*.c))

$(BUILD)/efi/%.o: %.c
	@mkdir -p $(@D)$(GNUEFI_CHECK)
	$(CC) $(EFI_CFLAGS) -I$(GNUEFI_INC) -I$(GNUEFI_INC)/x86_64 -c $< -o $@

$(BUILD)/efi/loader.so: $(EFI_OBJ)
	$(LD) $(EFI_LDFLAGS) -T $(GNUEFI_LDS) $(GNUEFI_CRT0) $(EFI_OBJ) -L$(GNUEFI_LIB) -lgnuefi -lefi -o $@

$(EFI_APP): $(BUILD)/efi/loader.so
	$(OBJCOPY) $(addprefix -j ,$(EFI_SECTIONS)) --target efi-app-x86_64 --subsystem=10 $< $@

loader: $(EFI_APP) ## build only the UEFI loader

# ---------------------------------------------------------------------------------------
# The legacy BIOS path: the MBR boot code and stage 2, 16-bit C built with -m16 (as
# Linux's arch/x86/boot): 32-bit code with size prefixes, runnable in real mode.
# -mregparm=3 passes the first three arguments in registers (bioscall.S relies on it).

# gcc 12 and later: fixed addresses like 0x500 are not "out of bounds" (gcc 11, Ubuntu
# 22.04's, neither warns nor knows the option, so it is asked for only when accepted).
MIN_PAGESIZE := $(shell $(CC) -Werror --param=min-pagesize=0 -E -x c /dev/null >/dev/null 2>&1 \
	&& echo --param=min-pagesize=0)
STAGE2_CFLAGS := $(COMMON_CFLAGS) -m16 -march=i386 -mregparm=3 -O1 -ffreestanding \
	-fno-pic -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables $(MIN_PAGESIZE)
# binutils 2.39 and later warn about the one RWX segment stage 2 needs; 2.38 has no
# such warning and no option to silence it.
NO_RWX_WARNING := $(shell $(LD) --no-warn-rwx-segments -v >/dev/null 2>&1 && echo --no-warn-rwx-segments)
STAGE2_SRC := $(wildcard legacy16/*.c) legacy16/head.S legacy16/bioscall.S legacy16/pm.S \
	$(wildcard boot/*.c) kernel/lib/string.c
STAGE2_OBJ := $(patsubst %,$(BUILD)/legacy16/%.o,$(STAGE2_SRC))

$(BUILD)/legacy16/%.o: %
	@mkdir -p $(@D)
	$(CC) $(STAGE2_CFLAGS) -c $< -o $@

$(BUILD)/legacy16/kernel/lib/string.c.o: STAGE2_CFLAGS += -Dno_libcall=

# gcc -m16 may turn a byte-copy loop into `movsb`, which in 16-bit code addresses
# through SI/DI and so cannot reach the kernel above 1 MiB.  -O1 (and kernel/lib/string.c
# without its optimize attribute, which brings the transformation back) avoids that; this
# check makes sure no C object ever contains a string instruction without the 0x67
# address-size prefix.
STAGE2_C_OBJ := $(filter %.c.o,$(STAGE2_OBJ))

$(BUILD)/legacy16/stage2.elf: $(STAGE2_OBJ) legacy16/stage2.ld
	@for o in $(STAGE2_C_OBJ); do \
		if $(OBJDUMP) -d -Mi8086 $$o | grep -E '%(es|ds):\(%(di|si)\)'; then \
			echo "$$o: 16-bit string instruction (see Makefile)"; exit 1; fi; done
	$(LD) -m elf_i386 -z noexecstack $(NO_RWX_WARNING) -T legacy16/stage2.ld -o $@ $(STAGE2_OBJ)

$(BUILD)/legacy16/mbr.elf: $(BUILD)/legacy16/legacy16/mbr.S.o legacy16/mbr.ld
	$(LD) -m elf_i386 -T legacy16/mbr.ld -o $@ $<

$(BUILD)/legacy16/%.bin: $(BUILD)/legacy16/%.elf
	$(OBJCOPY) -O binary $< $@

# The MBR's 440-byte limit is a linker-script ASSERT; this proves it fires.
check-mbr-limit: ## show that an MBR over 440 bytes fails the build
	@mkdir -p $(BUILD)/legacy16
	@$(CC) $(STAGE2_CFLAGS) -DMBR_OVERSIZE_TEST=300 -c legacy16/mbr.S -o $(BUILD)/legacy16/mbr-big.o
	@if $(LD) -m elf_i386 -T legacy16/mbr.ld -o $(BUILD)/legacy16/mbr-big.elf \
		$(BUILD)/legacy16/mbr-big.o 2>$(BUILD)/legacy16/mbr-big.log; then \
		echo "check-mbr-limit: an oversized MBR linked; the size check is broken"; exit 1; \
	else \
		echo "check-mbr-limit: oversized MBR refused as it should be:"; \
		cat $(BUILD)/legacy16/mbr-big.log; \
	fi

# ---------------------------------------------------------------------------------------
# The disk image (recipe and layout in disk/mkimage.sh).

IMAGE_PARTS := $(EFI_APP) $(BUILD)/kernel-stripped.elf disk/cmdline.txt \
	$(BUILD)/legacy16/mbr.bin $(BUILD)/legacy16/stage2.bin

$(IMG): disk/mkimage.sh $(IMAGE_PARTS)
	disk/mkimage.sh $@ $(IMAGE_PARTS)

image: $(IMG) ## build build/pagelab.img

# `make run CMDLINE="memblock=debug"`: the same image with another CMDLINE.TXT, in a file
# of its own, so disk/cmdline.txt and build/pagelab.img (which the tests boot) keep the
# default.  The line is rewritten only when it changes, so the copy is remade only then.
CMDLINE  ?=
RUN_IMG  := $(if $(CMDLINE),$(BUILD)/pagelab-cmdline.img,$(IMG))

$(BUILD)/cmdline.txt: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' '$(subst ','\'',$(CMDLINE))' > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

$(BUILD)/pagelab-cmdline.img: disk/mkimage.sh $(IMG) $(BUILD)/cmdline.txt
	disk/mkimage.sh --cmdline $@ $(IMG) $(BUILD)/cmdline.txt

# ---------------------------------------------------------------------------------------
# Running.  The serial console is the terminal; Ctrl-A X quits QEMU, Ctrl-A C switches
# to the QEMU monitor and back.  Each run gets a fresh copy of the writable UEFI
# variable store.

# -display none -serial mon:stdio rather than -nographic: with -nographic SeaBIOS also
# copies its screen to the serial line (its banner, "Booting from Hard Disk..."), so the
# terminal would show more than pagelab prints.  The BIOS loader reads clean either way:
# it writes the screen only when a video BIOS owns INT 10h (tests/qemu/test_run_targets.py).
# -nic none: pagelab drives no network card, and the default NIC's iPXE ROM changes where
# OVMF's allocations land; tests/qemu/machine.py boots the same devices.
QEMU_CPU     = $(if $(CPU),-cpu $(CPU)) -smp $(SMP)
QEMU_COMMON := -machine $(MACHINE) -m $(MEM) $(QEMU_CPU) -drive format=raw,file=$(RUN_IMG) \
	-nic none -display none -serial mon:stdio

run: deps ## boot build/pagelab.img under OVMF (UEFI), console on this terminal
	$(call check_mem,uefi)
	@$(MAKE) --no-print-directory all $(RUN_IMG)
	cp $(OVMF_VARS) $(BUILD)/OVMF_VARS.fd
	$(QEMU) $(QEMU_COMMON) \
		-drive if=pflash,format=raw,readonly=on,file=$(OVMF_CODE) \
		-drive if=pflash,format=raw,file=$(BUILD)/OVMF_VARS.fd

run-bios: deps ## boot the same image under SeaBIOS (legacy BIOS path)
	$(call check_mem,bios)
	@$(MAKE) --no-print-directory all $(RUN_IMG)
	$(QEMU) $(QEMU_COMMON) -bios $(SEABIOS)

# The window shows the screen console (GOP framebuffer, or VGA text with FW=bios) and
# takes the keyboard; the serial console stays on this terminal.
FW       ?= uefi
QEMU_FW   = $(if $(filter bios,$(FW)),-bios $(SEABIOS),-drive if=pflash,format=raw,readonly=on,file=$(OVMF_CODE) \
	-drive if=pflash,format=raw,file=$(BUILD)/OVMF_VARS.fd)
QEMU_WINDOW := -machine $(MACHINE) -m $(MEM) $(QEMU_CPU) -drive format=raw,file=$(RUN_IMG) -nic none

run-gui: deps ## boot in a QEMU window (screen + keyboard), serial here; FW=bios for SeaBIOS
	$(call check_mem,$(if $(filter bios,$(FW)),bios,uefi))
	@$(MAKE) --no-print-directory all $(RUN_IMG)
	cp $(OVMF_VARS) $(BUILD)/OVMF_VARS.fd
	$(QEMU) $(QEMU_WINDOW) $(QEMU_FW) -serial stdio

# `make debug`: QEMU halted before the firmware's first instruction with a GDB stub on
# GDB_PORT, and gdb with build/kernel.elf's symbols, stopped at start_kernel (a hardware
# breakpoint: see tools/gdbinit).  gdb owns this terminal, so the serial console goes to
# the pseudo-terminal QEMU names ("char device redirected to /dev/pts/N": attach with
# `screen /dev/pts/N`); with a display the QEMU window shows the screen and takes keys.
GDB      := gdb
GDB_PORT ?= 1234

debug: deps all $(RUN_IMG) ## QEMU halted with a GDB stub + gdb with the kernel's symbols (docs/debugging.md)
	$(call check_mem,$(if $(filter bios,$(FW)),bios,uefi))
	cp $(OVMF_VARS) $(BUILD)/OVMF_VARS.fd
	$(QEMU) $(QEMU_WINDOW) $(QEMU_FW) -S -gdb tcp:127.0.0.1:$(GDB_PORT) \
		$(if $(DISPLAY),,-display none) -serial pty & \
	qemu=$$!; sleep 1; \
	$(GDB) -q -ex 'file $(KERNEL)' -ex 'target remote 127.0.0.1:$(GDB_PORT)' \
		-x tools/gdbinit -ex 'hbreak start_kernel' -ex continue; \
	kill $$qemu 2>/dev/null; wait $$qemu 2>/dev/null; true

# ---------------------------------------------------------------------------------------
# Host unit tests: the kernel's own sources, compiled for Linux against the shims in
# tests/host/include (which win over include/ by -I order), under ASan and UBSan.
# Kernel code that shares a name with libc (memcpy, snprintf, ...) is renamed by
# tests/host/rename_libc.h so the tests exercise ours, not glibc's.

# The shim directory comes first: a quoted #include searches -I directories in order.
HOST_CFLAGS := -Itests/host/include $(COMMON_CFLAGS) -g -O1 -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
HOST_KERNEL_C := $(wildcard kernel/lib/*.c) kernel/boot_info.c kernel/params.c firmware/efi.c firmware/e820.c \
	firmware/acpi.c $(wildcard boot/*.c) $(wildcard tests/host/*.c) \
	legacy16/memory.c legacy16/fat.c legacy16/regs.c
# The memory manager and the simulator's library half run in the host tests too.  The
# self-test suites stay out of the library (below).
HOST_SELFTEST_C := $(sort $(wildcard mm/*_selftest.c))
HOST_KERNEL_C += kernel/arch/x86_64/memory_setup.c \
	$(filter-out $(HOST_SELFTEST_C),$(wildcard mm/*.c)) tools/mmsim/mmsim.c
# The shell's line editor and argument parsing, kallsyms lookup, the screen's terminal.
HOST_KERNEL_C += shell/line_edit.c shell/args.c kernel/kallsyms.c kernel/vt.c
# The self-test runner, so the host tests can run the in-kernel suites too; the console's
# input queue, where its Ctrl-C comes from; the TSC calibration's arithmetic.
HOST_KERNEL_C += kernel/selftest.c kernel/console.c kernel/arch/x86_64/tsc.c
# The CPU masks and their setters; the cross-CPU calls are tests/host/smp.c's stand-ins.
HOST_KERNEL_C += kernel/cpumask.c
# The spinlock debugging (its self-test suite is the kernel's only: test_selftest.c
# checks that the host links exactly mm's suites).
HOST_KERNEL_C += $(filter-out %_selftest.c,$(wildcard kernel/locking/*.c))
HOST_KERNEL_OBJ := $(patsubst %,$(BUILD)/host/%.o,$(HOST_KERNEL_C))
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

HOST_CFLAGS += -include tests/host/rename_libc.h -fno-builtin

$(BUILD)/host/%.c.o: %.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/host/libpagelab.a: $(HOST_KERNEL_OBJ)
	rm -f $@
	ar rcs $@ $^

# A suite registers itself through a linker section (include/kernel/selftest.h), and
# nothing calls into its object by name: inside libpagelab.a the linker would never take
# it (and a test calling selftest_run() would fail to link: no __start_selftest_suites).
# So every unit test links the suite objects directly, in the kernel's order, and sees
# every suite the kernel has.
HOST_SELFTEST_OBJ := $(patsubst %,$(BUILD)/host/%.o,$(HOST_SELFTEST_C))

$(BUILD)/tests/%: tests/unit/%.c $(HOST_SELFTEST_OBJ) $(BUILD)/host/libpagelab.a
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $< $(HOST_SELFTEST_OBJ) $(BUILD)/host/libpagelab.a -lcriterion -o $@

# The memory-map simulator: pagelab's boot-time memory code on a map from any machine
# (docs/mm/memblock.md).  Built like the tests, sanitizers included.
$(BUILD)/mmsim: tools/mmsim/main.c $(BUILD)/host/libpagelab.a
	$(HOSTCC) $(HOST_CFLAGS) $< $(BUILD)/host/libpagelab.a -o $@

mmsim: $(BUILD)/mmsim ## build the memory-map simulator: build/mmsim < dmesg.txt

# `make check-unit T=memblock F='memblock_add/*'`: only build/tests/test_memblock (T may
# name several), only the Criterion tests that match F.  The binaries run two at a time
# in a sub-make with -O, so each one's output comes out in one piece when it ends, and
# -k, so every binary runs even after one fails; check-unit fails if any did.
UNIT_NAMES  := $(patsubst $(BUILD)/tests/test_%,%,$(UNIT_TESTS))
UNIT_PICKED := $(if $(T),$(filter $(patsubst %,$(BUILD)/tests/test_%,$(T:test_%=%)),$(UNIT_TESTS)),$(UNIT_TESTS))
UNIT_RUNS   := $(patsubst $(BUILD)/tests/%,unit-run/%,$(UNIT_PICKED))
# Criterion's own workers: two when one binary runs alone, else the binaries share the cores.
UNIT_JOBS   := $(if $(word 2,$(UNIT_PICKED)),1,2)

check-unit: $(UNIT_PICKED) ## host unit tests (Criterion, ASan + UBSan); T=NAME F=SUITE/TEST for some
	@$(if $(UNIT_PICKED),:,echo "check-unit: no unit test called '$(T)'; there are: $(UNIT_NAMES)"; exit 1)
	@$(MAKE) --no-print-directory -k -O $(if $(findstring jobserver,$(MAKEFLAGS)),,-j2) $(UNIT_RUNS)

.PHONY: $(UNIT_RUNS)
$(UNIT_RUNS): unit-run/%:
	@echo "== $*"
	@$(BUILD)/tests/$* --jobs $(UNIT_JOBS) $(if $(F),--filter='$(F)') || \
		{ echo "== $*: FAILED"; exit 1; }

# The kernel's locks and atomics under ThreadSanitizer (tests/tsan/locking.c says what it
# checks): the lock sources as they are, four pthreads for four CPUs, TAP on stdout.
# Not in libpagelab.a: TSan cannot share a binary with ASan, and the program needs only
# the lock code.  gcc refuses __atomic_thread_fence under TSan; lib/atomic.h has its
# TSan form of smp_mb().  TSan exits 66 when it reports a race, even if every count is right.
TSAN_CFLAGS := -Itests/host/include $(COMMON_CFLAGS) -g -O1 -fsanitize=thread -fno-omit-frame-pointer
TSAN_SRC    := tests/tsan/locking.c tests/host/smp.c kernel/cpumask.c $(filter-out %_selftest.c,$(wildcard kernel/locking/*.c))

$(BUILD)/tsan/locking: $(TSAN_SRC)
	@mkdir -p $(@D)
	$(HOSTCC) $(TSAN_CFLAGS) $(TSAN_SRC) -lpthread -o $@

# The memory manager on four threads (tests/tsan/mm.c): every host kernel source built
# once more, with TSan instead of ASan, into a library of its own.  Two lab functions'
# plain accesses are excused (tests/tsan/suppressions.txt says which and why).
TSAN_MM_OPTIONS = suppressions=$(CURDIR)/tests/tsan/suppressions.txt $(TSAN_OPTIONS)
TSAN_MM_OBJ := $(patsubst %,$(BUILD)/tsan/obj/%.o,$(HOST_KERNEL_C))

$(BUILD)/tsan/obj/%.c.o: %.c
	@mkdir -p $(@D)
	$(HOSTCC) $(TSAN_CFLAGS) -include tests/host/rename_libc.h -fno-builtin -c $< -o $@

$(BUILD)/tsan/libpagelab.a: $(TSAN_MM_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/tsan/mm: tests/tsan/mm.c $(BUILD)/tsan/libpagelab.a
	$(HOSTCC) $(TSAN_CFLAGS) -include tests/host/rename_libc.h -fno-builtin $< \
		$(BUILD)/tsan/libpagelab.a -lpthread -o $@

check-tsan: $(BUILD)/tsan/locking $(BUILD)/tsan/mm ## locks, atomics, and the buddy allocator, SLUB and sheaves from 4 threads under ThreadSanitizer (TAP)
	@echo "== tsan locking"
	@TSAN_OPTIONS="exitcode=66 $(TSAN_OPTIONS)" $(BUILD)/tsan/locking || \
		{ echo "== tsan locking: FAILED"; exit 1; }
	@echo "== tsan mm"
	@TSAN_OPTIONS="exitcode=66 $(TSAN_MM_OPTIONS)" $(BUILD)/tsan/mm || \
		{ echo "== tsan mm: FAILED"; exit 1; }
	@echo "== tsan mm all"
	@TSAN_OPTIONS="exitcode=66 $(TSAN_MM_OPTIONS)" $(BUILD)/tsan/mm all || \
		{ echo "== tsan mm all: FAILED"; exit 1; }
	@echo "== tsan mm zone-race (must be reported)"
	@TSAN_OPTIONS="exitcode=66 $(TSAN_MM_OPTIONS)" $(BUILD)/tsan/mm zone-race >/dev/null 2>&1; \
		test $$? = 66 || { echo "== tsan mm zone-race: TSan saw no race: FAILED"; exit 1; }

# ---------------------------------------------------------------------------------------
# libFuzzer harnesses (tests/fuzz/, whose README says what each one checks): the same
# kernel sources as the unit tests, compiled again by clang, because libFuzzer's coverage
# instrumentation is clang's.  Under ASan and UBSan like the unit tests.  gcc-only
# attributes (noipa, optimize) steer gcc's code generation and mean nothing to clang.
FUZZ_CC      ?= clang
FUZZ_CFLAGS  := -Itests/host/include $(COMMON_CFLAGS) -Wno-unknown-attributes -g -O1 \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -include tests/host/rename_libc.h -fno-builtin
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_PICKED  := $(if $(T),$(filter $(T),$(FUZZ_NAMES)),$(FUZZ_NAMES))
FUZZ_BINS    := $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_NAMES))
# Seconds per harness: `make fuzz` (FUZZ_SECONDS=3600 for a campaign), and fuzz-smoke,
# which only replays each corpus and mutates briefly.
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 2

$(BUILD)/fuzz/obj/%.c.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(BUILD)/fuzz/libpagelab.a: $(patsubst %,$(BUILD)/fuzz/obj/%.o,$(HOST_KERNEL_C))
	rm -f $@
	ar rcs $@ $^

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard tests/fuzz/*.h) $(BUILD)/fuzz/libpagelab.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(BUILD)/fuzz/libpagelab.a -o $@

fuzz-build: deps $(FUZZ_BINS) ## build the libFuzzer harnesses (clang) into build/fuzz/

# Each harness grows its own corpus in build/fuzz/corpus/NAME, seeded from the committed
# tests/fuzz/corpus/NAME (which libFuzzer only reads: it writes to the first directory).
# A crash leaves build/fuzz/crashes/NAME-crash-<sha1>; the README says what to do with it.
define fuzz_run # $1 name, $2 seconds, $3 the corpus directory new inputs go to
	@mkdir -p $3/$1 $(BUILD)/fuzz/crashes
	@echo "== fuzz $1 ($2 s)"
	@$(BUILD)/fuzz/fuzz_$1 -max_total_time=$2 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
		-artifact_prefix=$(BUILD)/fuzz/crashes/$1- $3/$1 tests/fuzz/corpus/$1 \
		> $(BUILD)/fuzz/$1.log 2>&1 || { tail -n 40 $(BUILD)/fuzz/$1.log; echo "== fuzz $1: FAILED (build/fuzz/$1.log)"; exit 1; }
	@grep -E '^stat::number_of_executed_units' $(BUILD)/fuzz/$1.log | sed 's/.*: */   executions: /'

endef

fuzz: deps $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_PICKED)) ## run every libFuzzer harness FUZZ_SECONDS (60) each; T=NAME for one (tests/fuzz/README.md)
	@$(if $(FUZZ_PICKED),:,echo "fuzz: no harness called '$(T)'; there are: $(FUZZ_NAMES)"; exit 1)
	$(foreach f,$(FUZZ_PICKED),$(call fuzz_run,$f,$(FUZZ_SECONDS),$(BUILD)/fuzz/corpus))

# `make test`'s share: every corpus file (the crashes found so far among them) replayed,
# then a few seconds of new inputs per harness into a scratch corpus.
fuzz-smoke: deps $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_PICKED)) ## replay each fuzz corpus, then fuzz FUZZ_SMOKE_SECONDS (2) each (part of make test)
	@$(if $(FUZZ_PICKED),:,echo "fuzz-smoke: no harness called '$(T)'; there are: $(FUZZ_NAMES)"; exit 1)
	@rm -rf $(BUILD)/fuzz/smoke
	@$(MAKE) --no-print-directory -k -O $(if $(findstring jobserver,$(MAKEFLAGS)),,-j2) $(FUZZ_SMOKE_RUNS)

# Two harnesses at a time, as check-unit runs its binaries: each is one process, so one
# at a time left a core idle.  Each harness's output comes out in one piece (-O), and
# every one runs even after one fails (-k).  A harness fuzzes for so many seconds, not
# so many inputs: sharing the cores only changes how many it tries.
FUZZ_SMOKE_RUNS := $(patsubst %,fuzz-smoke-run/%,$(FUZZ_PICKED))
.PHONY: $(FUZZ_SMOKE_RUNS)
$(FUZZ_SMOKE_RUNS): fuzz-smoke-run/%:
	$(call fuzz_run,$*,$(FUZZ_SMOKE_SECONDS),$(BUILD)/fuzz/smoke)

# `make check-qemu T=buddy`: only test_buddy.py's tests, and those whose names contain
# buddy (tests/qemu/run.py --list T shows which).
check-qemu: all ## QEMU boot tests on real firmware (tests/qemu); T=buddy for some
	$(QEMU_TEST_ENV) PAGELAB_BUILD=$(BUILD) $(PYTHON) tests/qemu/run.py --jobs 2 $(T)

# Issue 18's machinery, too long for `make test` (which runs a share of each:
# tests/qemu/test_selftest.py, test_mutation.py).  Each prints a table to quote.
test-matrix: all ## boot 64 MiB-64 GiB x q35/pc x OVMF/SeaBIOS, every self-test suite in each (~4 min)
	$(QEMU_TEST_ENV) PAGELAB_BUILD=$(BUILD) $(PYTHON) tests/qemu/matrix.py --jobs 2

# Issue 20's soak: 10^6 random operations per CPU on -smp 4, plain, slub_debug=FZPU,
# page_poison=1 and slub_sheaves=all, each ending in stress's conservation check
# (tests/qemu/soak.py).
soak: all ## stress --cpus 4, 10^6 operations per CPU, plain, slub_debug=FZPU, page_poison=1, slub_sheaves=all (~7 min)
	$(QEMU_TEST_ENV) PAGELAB_BUILD=$(BUILD) $(PYTHON) tests/qemu/soak.py

SEED  ?= 18
COUNT ?= 200
test-mutation: all ## COUNT=200 random KERNEL.ELF mutations (SEED=18) per firmware: each boots or is refused
	$(QEMU_TEST_ENV) PAGELAB_BUILD=$(BUILD) $(PYTHON) tests/qemu/mutation.py --jobs 2 \
		--seed $(SEED) --count $(COUNT)

# Everything, whatever T, F, LAB or CMDLINE say.
TEST_ALL := T= F= LAB= CMDLINE=
# One phase of `make test`, with a line saying how long it took: CI's log then shows
# where a slow run's time went.
# $2: -j2 for a phase that builds, unless make runs with -j already: `make test`, as CI
# runs it, would otherwise compile on one of the two cores.
test_phase = @t0=$$(date +%s); $(MAKE) --no-print-directory $(TEST_ALL) $2 $1 || exit $$?; \
	echo "make test: $1 took $$(( $$(date +%s) - t0 )) s"
TEST_JOBS := $(if $(findstring jobserver,$(MAKEFLAGS)),,-j2)

# SPDX_CHECK=1 makes doclint also require the licence line in every tracked file
# (tools/spdx.py); it becomes the default once `tools/spdx.py --add` has run on main.
SPDX_CHECK ?= 1

doclint: ## every path and function() the docs and file headers name exists (SPDX_CHECK=1: and licence lines)
	@$(PYTHON) tools/doclint.py
ifeq ($(SPDX_CHECK),1)
	@$(PYTHON) tools/spdx.py --check
endif

spdx: ## list the tracked files without an SPDX-License-Identifier: MIT line (tools/spdx.py)
	@$(PYTHON) tools/spdx.py --check

# A release tarball of the committed tree (what `git archive` sees: not build/, not .lab/,
# not uncommitted edits), every path under pagelab-<version>/.
DIST = $(BUILD)/pagelab-$(DIST_VERSION).tar.gz

dist: ## write build/pagelab-<version>.tar.gz from the committed files (git archive HEAD)
	@if [ -n "$(TAG_VERSION)" ] && [ "$(TAG_VERSION)" != "$(FILE_VERSION)" ]; then \
		echo "make dist: the tag says $(TAG_VERSION) but the file version says $(FILE_VERSION)"; exit 1; fi
	@mkdir -p $(BUILD)
	git archive --format=tar.gz --prefix=pagelab-$(DIST_VERSION)/ -o $(DIST) HEAD
	@echo "make dist: $(DIST), $$(tar -tzf $(DIST) | grep -vc '/$$') files"
	@git diff --quiet HEAD 2>/dev/null || echo "make dist: note: uncommitted changes are not in it"

test: deps ## everything: doclint, build, host unit tests, TSan locks, fuzz smoke, QEMU tests, lab-verify, test-course
ifneq ($(wildcard HANDOUT),)
	@echo "make test: this is a student handout: its lab functions are stubs, so the"
	@echo "reference's own tests do not hold here.  \`make grade LAB=N\` grades your labs."
	@exit 2
endif
	@mkdir -p $(BUILD) && date +%s > $(BUILD)/.test-started
	$(call test_phase,doclint)
	$(call test_phase,all,$(TEST_JOBS))
	$(call test_phase,check-mbr-limit)
	$(call test_phase,check-unit,$(TEST_JOBS))
	$(call test_phase,check-tsan,$(TEST_JOBS))
	$(call test_phase,fuzz-smoke,$(TEST_JOBS))
	$(call test_phase,check-qemu)
	$(call test_phase,lab-verify)
	$(call test_phase,test-course)
	@echo "make test: passed in $$(( $$(date +%s) - $$(cat $(BUILD)/.test-started) )) s"

# ---------------------------------------------------------------------------------------
# Benchmarks (tools/bench/).  The host ones build the kernel's own sources like the unit
# tests, but -O2 and without sanitizers, into one library; callgrind counts instructions,
# which do not depend on the machine or its load.

BENCH_CFLAGS := -Itests/host/include $(COMMON_CFLAGS) -O2 -g \
	-include tests/host/rename_libc.h -fno-builtin

$(BUILD)/bench/%.c.o: %.c
	@mkdir -p $(@D)
	$(HOSTCC) $(BENCH_CFLAGS) -c $< -o $@

$(BUILD)/bench/libpagelab.a: $(patsubst %,$(BUILD)/bench/%.o,$(HOST_KERNEL_C))
	rm -f $@
	ar rcs $@ $^

bench: bench-buddy bench-slub ## the host benchmarks: bench-buddy, then bench-slub

# Only the benchmarks need valgrind and the other allocators; `make test` never does.
bench-deps: ## find the benchmarks' valgrind, jemalloc, mimalloc, tcmalloc; install the missing or say how
	@HOSTCC='$(HOSTCC)' tools/install-deps.sh bench

# The page allocator: one alloc_pages() + __free_pages() pair, orders 0, 3 and 9.
$(BUILD)/bench/buddy_bench: tools/bench/buddy_bench.c $(BUILD)/bench/libpagelab.a
	$(HOSTCC) $(BENCH_CFLAGS) $< $(BUILD)/bench/libpagelab.a -o $@

bench-buddy: bench-deps $(BUILD)/bench/buddy_bench ## benchmark: ns and instructions (callgrind) per alloc+free, orders 0/3/9
	$(PYTHON) tools/bench/buddy_bench.py $(BUILD)/bench/buddy_bench

# SLUB against glibc malloc, jemalloc, mimalloc and tcmalloc: one harness compiled once
# per allocator (and once with none, to subtract the harness's own cost).
SLUB_BENCH_ALLOCS := slub glibc jemalloc mimalloc tcmalloc null
SLUB_BENCH_BINS := $(patsubst %,$(BUILD)/bench/slub_bench-%,$(SLUB_BENCH_ALLOCS))
SLUB_BENCH_LIBS_jemalloc := -ljemalloc
SLUB_BENCH_LIBS_mimalloc := -lmimalloc
SLUB_BENCH_LIBS_tcmalloc := -ltcmalloc_minimal

$(BUILD)/bench/slub_bench-slub: tools/bench/slub_bench.c $(BUILD)/bench/libpagelab.a
	$(HOSTCC) $(BENCH_CFLAGS) -DALLOC_SLUB $< $(BUILD)/bench/libpagelab.a -o $@

$(SLUB_BENCH_BINS): | bench-deps
$(BUILD)/bench/slub_bench-%: tools/bench/slub_bench.c
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -Wall -Wextra -Werror -O2 -g -DALLOC_$(shell echo $* | tr a-z A-Z) $< \
		$(SLUB_BENCH_LIBS_$*) -o $@

bench-slub: $(SLUB_BENCH_BINS) ## benchmark: SLUB vs glibc, jemalloc, mimalloc, tcmalloc
	$(PYTHON) tools/bench/slub_bench.py $(BUILD)/bench

# Boots under QEMU, so not part of `make bench`.
bench-memmap: all ## benchmark: memmap and zone set-up time per GiB (SeaBIOS, 1/4/8 GiB)
	$(QEMU_TEST_ENV) PAGELAB_BUILD=$(BUILD) $(PYTHON) tools/bench/memmap_bench.py 1G 4G 8G

# Boots under QEMU too; the ratio depends on how many host cores are free at the time.
BENCH_SMP_OPS ?= 2000000
bench-smp: all ## benchmark: alloc+free pairs/s per CPU on 1, 2 and 4 vCPUs (shell `bench`), ratio to 1
	$(QEMU_TEST_ENV) PAGELAB_BUILD=$(BUILD) $(PYTHON) tools/bench/smp_bench.py $(BENCH_SMP_OPS) 1 2 4

# ---------------------------------------------------------------------------------------
# The labs (docs/labs/README.md).  `make lab-start 2` turns lab 2's functions into stubs
# for the student to write (tools/lab/lab.py finds them by name; the originals wait in
# .lab/), `make grade LAB=2` grades them, `make lab-reset 2` or `make lab-solution 2`
# puts the originals back.  Each lab's host checks are tests/labs/NN/host.c, built
# against the kernel's own sources; tests/labs/NN/include/ may shadow a header for it.

LAB_CMDS := lab-start lab-reset lab-solution lab-machine lab-run
ifneq ($(filter $(LAB_CMDS),$(MAKECMDGOALS)),)
LAB_ARG := $(filter-out $(LAB_CMDS),$(MAKECMDGOALS))
ifneq ($(LAB_ARG),)
# `make lab-start 5`: the 5 is the lab, unless LAB= says otherwise (an empty LAB from the
# environment - a make under `make test` - does not).
ifeq ($(strip $(LAB)),)
LAB := $(LAB_ARG)
endif
$(eval $(LAB_ARG):;@:)
endif
endif
LAB_TOOL = $(QEMU_TEST_ENV) $(PYTHON) tools/lab/lab.py --build $(BUILD)
LAB_HOST_TESTS := $(patsubst tests/labs/%/host.c,$(BUILD)/labs/host-%,$(wildcard tests/labs/*/host.c))

# A lab's host checks may define another lab's function themselves, so that its stub does
# not decide their grade (labs are done in any order): LAB_HOST_OWN_NN names them, and
# they link a copy of the library in which those functions are weak.
LAB_HOST_OWN_01 := e820__update_table
lab_host_lib = $(if $(LAB_HOST_OWN_$1),$(BUILD)/labs/libpagelab-$1.a,$(BUILD)/host/libpagelab.a)

$(BUILD)/labs/libpagelab-%.a: $(BUILD)/host/libpagelab.a
	@mkdir -p $(@D)
	objcopy $(addprefix --weaken-symbol=,$(LAB_HOST_OWN_$*)) $< $@

$(BUILD)/labs/host-01: $(call lab_host_lib,01)

# Compiled once, linked again whenever the library changes: lab-verify rebuilds the
# library for each of its ~190 wrong implementations, and under the sanitizers a lab's
# checks take up to twice as long to compile as the library's one changed file.
.SECONDARY: $(LAB_HOST_TESTS:=.o)
$(BUILD)/labs/host-%.o: tests/labs/%/host.c
	@mkdir -p $(@D)
	$(HOSTCC) -Itests/labs/$*/include $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/labs/host-%: $(BUILD)/labs/host-%.o $(BUILD)/host/libpagelab.a
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $< $(call lab_host_lib,$*) -lcriterion -o $@

lab-start: ## make lab-start N [STUDENT=you@school]: lab N's functions become stubs for you to write
	@$(LAB_TOOL) start $(if $(STUDENT),--student '$(subst ','\'',$(STUDENT))') $(LAB)

lab-machine: ## make lab-machine N: your own machine for lab N (firmware, chipset, memory)
	@$(LAB_TOOL) machine $(LAB)

# The questions of a lab are about the student's own machine: this boots it, exactly as
# `make run` or `make run-bios` would with its MACHINE=, MEM= and CMDLINE=.
lab-run: deps ## make lab-run N: boot your own machine for lab N, console on this terminal
	@args=$$($(LAB_TOOL) machine --make $(LAB)) && eval "$(MAKE) --no-print-directory $$args"

lab-reset: ## make lab-reset N: the original functions back (refuses to drop your code)
	@$(LAB_TOOL) reset $(LAB) $(if $(FORCE),--force)

lab-solution: ## make lab-solution N: the original functions back, yours saved in .lab/
	@$(LAB_TOOL) solution $(LAB)

lab-status: ## which lab functions are stubs, originals or your own code
	@$(LAB_TOOL) status

# The terminal shows the checks and the score; the build's own output goes to a log,
# and only to the terminal (its end) when the build fails.  LAB=N builds only lab N's
# host checks.  build/mmsim is rebuilt too: it runs the student's memory code on other
# machines' maps (lab 2), and a stale one would show what the code did before.
GRADE_LOG := $(BUILD)/grade-build.log
LAB_NN := $(if $(filter 1 2 3 4 5 6 7 8 9,$(LAB)),0$(LAB),$(LAB))
GRADE_HOST_TESTS := $(if $(LAB),$(filter $(BUILD)/labs/host-$(LAB_NN),$(LAB_HOST_TESTS)),$(LAB_HOST_TESTS))

grade: deps ## grade the labs (LAB=N: one): host checks, kernel checks, answers
	@mkdir -p $(BUILD)
	@echo "make grade: building (output in $(GRADE_LOG))"
	@$(MAKE) --no-print-directory $(RUN_IMG) $(BUILD)/mmsim $(GRADE_HOST_TESTS) > $(GRADE_LOG) 2>&1 || \
		{ echo "make grade: the build failed; the end of $(GRADE_LOG):"; \
		  tail -n 40 $(GRADE_LOG); exit 1; }
	@$(LAB_TOOL) grade $(if $(CMDLINE),--image $(RUN_IMG)) $(LAB)

lab-verify: ## prove the grading honest: reference full marks, stubs 0, wrong code caught
	@$(LAB_TOOL) verify $(LAB)

# A course's side (tools/lab/course.py, docs/labs/TEACHING.md): the instructor makes a
# handout without solutions, students hand in one file, tools/grade-class grades them.
handout: ## make handout DEST=dir [COURSE=name]: a student repository, every lab stubbed, no solutions
	@test -n "$(DEST)" || { echo "make handout: say where: make handout DEST=../pagelab-handout"; exit 2; }
	@$(LAB_TOOL) handout $(if $(COURSE),--course '$(subst ','\'',$(COURSE))') '$(DEST)'

handin: ## make handin [LAB=N]: your code, answers, name, commit and time in build/handin-<you>.json
	@$(LAB_TOOL) handin $(LAB)

test-course: all ## a handout, a scripted student doing lab 5, a cheater, hand-ins, a gradebook
	@$(PYTHON) tests/labs/test_course.py --build $(BUILD)

# ---------------------------------------------------------------------------------------
# The container (Containerfile: Debian 12 and the packages install-deps.sh installs there),
# for macOS, Windows and any system without the packages: the repository is mounted at
# /pagelab, so what is built lands in build/ as usual, and the serial console is this
# terminal.  podman or docker, whichever is installed (CONTAINER=docker picks one).
# The image is amd64 on every host (the Containerfile says why).  docker runs the
# container as you, so build/ stays yours; rootless podman maps its root to you already.

CONTAINER       ?= $(firstword $(foreach c,podman docker,$(shell command -v $(c) 2>/dev/null)))
CONTAINER_IMAGE ?= pagelab-dev
CONTAINER_USER   = $(if $(filter docker,$(notdir $(CONTAINER))),--user "$$(id -u):$$(id -g)")
CONTAINER_LABEL  = $(if $(filter podman,$(notdir $(CONTAINER))),--security-opt label=disable)
# The make variables given on this command line go on to the make inside.
CONTAINER_VARS   = $(foreach v,MEM MACHINE CPU CMDLINE FW LAB T F,\
	$(if $(filter command line,$(origin $(v))),'$(v)=$(subst ','\'',$($(v)))'))
CONTAINER_RUN    = $(CONTAINER) run --rm -i $$([ -t 0 ] && echo -t) --platform linux/amd64 \
	$(CONTAINER_USER) $(CONTAINER_LABEL) -v "$(CURDIR)":/pagelab -w /pagelab $(CONTAINER_IMAGE)

container-image: ## build the container image (podman or docker; Containerfile, Debian 12)
	@$(if $(CONTAINER),:,echo "container-image: neither podman nor docker is installed"; exit 1)
	$(CONTAINER) build --platform linux/amd64 -t $(CONTAINER_IMAGE) -f Containerfile .

container-run: container-image ## make run inside the container, console on this terminal (Ctrl-A X quits)
	$(CONTAINER_RUN) make run $(CONTAINER_VARS)

container-grade: container-image ## make grade inside the container (LAB=N: one)
	$(CONTAINER_RUN) make grade $(CONTAINER_VARS)

# Not part of `make test`: it downloads Debian 12 (once) and the packages (each run).
test-container: ## the Containerfile's steps in a bare Debian 12 (debootstrap, root), then make all + a boot
	tests/container/run.sh

# Not while tests/container/run.sh has the host's /dev mounted in build/container/root.
clean: ## remove build/
	@! grep -qs " $(abspath $(BUILD))/" /proc/mounts || \
		{ echo "clean: something is mounted under $(BUILD)/ (make test-container running?)"; exit 1; }
	rm -rf $(BUILD)

FORCE:

# build/container/ holds a whole Debian root (tests/container/run.sh): not ours to read.
-include $(shell find $(BUILD) -path $(BUILD)/container -prune -o -name '*.d' -type f -print 2>/dev/null)
