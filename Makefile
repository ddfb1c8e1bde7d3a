# SPDX-License-Identifier: GPL-2.0-only
#
# panthor-reclaim developer entry points. `make help` lists them.

top := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
CACHE ?= $(or $(PR_CACHE),$(top)/.cache)
# The scripts find the cache through PR_CACHE: the same one as make's.
export PR_CACHE := $(CACHE)

# Whatever a fresh clone is asked first sets the machine up (tests/setup.sh,
# root, idempotent): make remakes the missing $(CACHE)/env.mk, then starts
# over with it. Not when told which kernel headers to use (make KDIR=...,
# as DKMS builds in place), nor for the goals that need nothing set up
# (make check runs the setup itself, every time).
no_setup_goals := help setup check clean clean-inplace distclean dkms-install dkms-uninstall
ifneq ($(origin KDIR),command line)
ifneq ($(filter-out $(no_setup_goals),$(or $(MAKECMDGOALS),all)),)
need_setup := 1
endif
endif
.DEFAULT_GOAL := all
ifdef need_setup
include $(CACHE)/env.mk
# A setup script newer than the setup's output (a pull that brought a new
# part) sets the machine up again too.
$(CACHE)/env.mk: $(top)/tests/setup.sh $(wildcard $(top)/tests/*/setup-*.sh)
	@echo "make: $(CACHE) is not set up (or a setup script changed): running tests/setup.sh first"
	@bash $(top)/tests/setup.sh
else
-include $(CACHE)/env.mk
endif
-include $(wildcard $(CACHE)/env-*.mk)

VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' $(top)/dkms.conf)
KDIR ?= $(PR_KDIR_ARM64)
KREL = $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
BUILDDIR ?= $(top)/build/$(KREL)
# Extra kbuild arguments, e.g. W=1 or C=2.
KBUILD_ARGS ?=

SRCS := Kbuild Makefile dkms.conf src $(wildcard $(top)/include)

.PHONY: all help setup module amd64 lint check \
	vm demo model bench deb dkms-install dkms-uninstall clean clean-inplace distclean

all: module

help:
	@echo "make setup           install every dependency (root, idempotent; the first"
	@echo "                     command on a fresh clone, whichever it is, runs it first)"
	@echo "make                 build panthor_reclaim.ko for the stock trixie arm64 kernel"
	@echo "make KDIR=<dir>      build against other kernel headers (e.g. /lib/modules/\`uname -r\`/build)"
	@echo "make vm [CMD=...]    boot the stock arm64 kernel with the module on the GPU model"
	@echo "make vm STOCK=1      the same on Debian's QEMU, without the GPU model"
	@echo "make demo            run a small GPU client on the model and say what happened"
	@echo "make model           build QEMU with the Mali-G610 model (make vm does it)"
	@echo "make bench           uAPI micro-benchmarks, panthor-reclaim against stock panthor"
	@echo "make check           set up, build, lint and run every test"
	@echo "make lint            checkpatch --strict and sparse"
	@echo "make check-GROUP     one group of make check: build, lint, vm, model, uapi, lockdep, pkg,"
	@echo "                     harness, kernels, clients"
	@echo "make deb             build panthor-reclaim-dkms_$(VERSION)_all.deb in build/deb/"
	@echo "make dkms-install    add, build and install this checkout with DKMS (root)"
	@echo "make dkms-uninstall  remove it from DKMS again (root)"
	@echo "make distclean       also drop the download/build cache ($(CACHE))"

setup:
	@bash $(top)/tests/setup.sh

# The module is built in a per-kernel copy of the sources, so arm64 and amd64
# objects never mix; DKMS builds in place (BUILDDIR=.).
module:
	@test -n "$(KREL)" || { echo "no kernel headers at KDIR='$(KDIR)' (run make setup)" >&2; exit 1; }
ifneq ($(abspath $(BUILDDIR)),$(top))
	@mkdir -p $(BUILDDIR)
	@cd $(top) && rsync -a $(SRCS) $(BUILDDIR)/
endif
	+@sh $(top)/src/compat/conftest.sh $(KDIR) $(top)/src/compat/probes \
		$(abspath $(BUILDDIR))/src/compat/config.h
	$(MAKE) -C $(KDIR) M=$(abspath $(BUILDDIR)) $(KBUILD_ARGS) modules
	@echo "built $(abspath $(BUILDDIR))/panthor_reclaim.ko ($(KREL))"

# qemu-system-aarch64 with the Mali-G610 model (tests/model), cached in .cache/qemu.
model:
	@bash $(top)/tests/model/build.sh >/dev/null

amd64:
	$(MAKE) module KDIR=$(PR_KDIR_AMD64)

lint:
	@bash $(top)/tests/run.sh lint

# make check: everything, from a brand-new machine (setup is idempotent).
check:
	@bash $(top)/tests/setup.sh
	@bash $(top)/tests/run.sh

# One group: build, lint, vm, model, uapi, lockdep, pkg, or one of tests/*/group-*.sh.
check-%:
	@bash $(top)/tests/run.sh $*

# Measured, never asserted: one VM run on the model, both drivers, ratios;
# then the reclaim pressure workload, PRC_BENCH_RECLAIM_RUNS (6) boots per driver.
bench: module model
	@mkdir -p $(top)/build/logs
	@bash $(top)/tests/vm/run.sh --timeout 900 --log $(top)/build/logs/bench-serial.log \
		--cmd 'run-tests.sh bench' >/dev/null || \
		{ echo "bench: the VM run failed, see build/logs/bench-serial.log" >&2; exit 2; }
	@sed -n '/^PRC-BENCH-BEGIN/,/^PRC-BENCH-END/p' $(top)/build/logs/bench-serial.log | sed '1d;$$d'
	@bash $(top)/tests/bench/reclaim-bench.sh

vm: module $(if $(STOCK),,model)
	@bash $(top)/tests/vm/run.sh $(if $(STOCK),--no-model) $(if $(CMD),--cmd '$(subst ','\'',$(CMD))')

# The guest's own lines only (PRC-VM-* are the harness's); fails when the demo fails.
demo: module model
	@bash -c 'set -o pipefail; bash $(top)/tests/vm/run.sh --timeout 300 --cmd "sh /tests/demo.sh" | \
		sed -u "/^PRC-VM/d; /reboot: Power down/d"' || \
		{ echo "make demo: the demo failed (see above)" >&2; exit 1; }

deb:
	@bash $(top)/tests/deb.sh

dkms-install:
	dkms remove panthor-reclaim/$(VERSION) --all >/dev/null 2>&1 || true
	rm -rf /usr/src/panthor-reclaim-$(VERSION)
	mkdir -p /usr/src/panthor-reclaim-$(VERSION)
	cd $(top) && cp -r $(SRCS) /usr/src/panthor-reclaim-$(VERSION)/
	dkms add panthor-reclaim/$(VERSION)
	@# Every kernel with headers, as the .deb's postinst does.
	@ok=0; for k in /lib/modules/*; do \
		[ -e $$k/build ] || continue; \
		dkms install panthor-reclaim/$(VERSION) -k $${k##*/} && ok=1; \
	done; \
	test $$ok = 1 || { echo "DKMS built the module for no installed kernel" >&2; exit 1; }
	install -m 644 $(top)/debian/modprobe/panthor-reclaim.conf /etc/modprobe.d/panthor-reclaim.conf

dkms-uninstall:
	dkms remove panthor-reclaim/$(VERSION) --all || true
	rm -rf /usr/src/panthor-reclaim-$(VERSION) /etc/modprobe.d/panthor-reclaim.conf

clean:
	rm -rf $(top)/build

# What DKMS calls to clean its in-place build directory.
clean-inplace:
	rm -rf .conftest .tmp_versions src/compat/config.h *.ko *.mod *.mod.c *.o .module-common.o \
		src/*.o src/.*.cmd .*.cmd modules.order Module.symvers

distclean: clean
	rm -rf $(CACHE)
