# SPDX-License-Identifier: GPL-2.0-only
# mvgpu: mediated-device virtual GPUs for Linux.
#
#   make                 build the modules against KDIR
#   make demo            boot a guest, create instances through sysfs, use one
#   make check           everything CI runs; ends with "N passed, N failed"
#   make install         install the modules on this host (modules_install) and the tools
#   make deps            install the Debian packages the build and tests need
#   make bench           benchmarks, as ratios of baselines from the same run
#   make fuzz            the VFIO fuzzer at length on both kernels (MVGPU_FUZZ_SEED=N)
#   make lint            W=1, sparse and checkpatch --strict
#   make kunit           only the KUnit suites
#   make vm-tests        only the L1 guest suites (sysfs and VFIO)
#   make l2-tests        only the nested-guest end-to-end tests
#   make testkernel      build the cached test kernel (DEBUG=1: debug variant)
#   make tools           build vgpu-doctor and mvgpuctl into build/tools
#
# KDIR defaults to the installed Debian 6.12 headers; on a real host use
# make KDIR=/lib/modules/$(uname -r)/build

TOP := $(CURDIR)
KDIR ?= $(shell bash -c '. $(TOP)/scripts/env.sh && mvgpu_kdir_612')
DEBUG ?= 0
# the host's modules, and the guest driver (mvgpu_drm) for a guest built from this tree
MVGPU_CONFIG := CONFIG_MVGPU_VPCI=m CONFIG_MVGPU_SAMPLE_MTTY=m CONFIG_MVGPU_SIMGPU=m CONFIG_MVGPU=m \
	CONFIG_MVGPU_DRM=m
export DEBUG

.PHONY: all modules deps install modules_install clean lint check demo bench fuzz \
	kunit vm-tests l2-tests testkernel help tools

all: modules tools

deps:
	@bash scripts/deps.sh

modules: deps
	@test -n "$(KDIR)" || { echo "no kernel headers found: make deps, or set KDIR"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(TOP) $(MVGPU_CONFIG) modules

modules_install: modules
	$(MAKE) -C $(KDIR) M=$(TOP) $(MVGPU_CONFIG) modules_install
	@if [ -z "$(INSTALL_MOD_PATH)" ] && [ -d /lib/modules/$$(uname -r) ]; then depmod -a; fi

# the tools go to $(DESTDIR)$(PREFIX)/bin (PREFIX=/usr/local)
install: modules_install tools
	$(MAKE) -C tools install

tools:
	$(MAKE) -C tools

clean:
	@if [ -n "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(TOP) clean; fi
	rm -rf build

lint: deps
	@bash tests/host/lint.sh

testkernel: deps
	@bash tests/vm/kernel/build.sh $(if $(filter 1,$(DEBUG)),debug,test)

kunit: deps
	@bash tests/check.sh kunit

vm-tests: deps
	@bash tests/check.sh vm

l2-tests: deps
	@bash tests/check.sh l2

check: deps
	@bash tests/check.sh all

demo: deps
	@bash scripts/demo.sh

bench: deps
	@bash scripts/bench.sh

fuzz: deps
	@bash scripts/fuzz.sh

help:
	@sed -n '2,19p' Makefile
