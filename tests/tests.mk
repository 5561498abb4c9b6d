# tests/tests.mk - `make test`: host unit tests and in-system tests.
#
# Host tests: every tests/host/test_*.c is one program, built natively with
# ASan/UBSan together with the kernel sources it names in a "// uses:" line;
# every tests/host/test_*.py is a stand-alone script speaking the same protocol.
# In-system tests: the boots listed in tests/boots.conf.  tools/harness runs
# both and prints the final "N passed, N failed".

HOST_OUT   := $(O)/host
HOST_TESTS := $(patsubst tests/host/%.c,$(HOST_OUT)/%,$(wildcard tests/host/test_*.c)) \
              $(wildcard tests/host/test_*.py)
HOST_INC   := -Itests/host -I$(KDIR)/include -I$(KDIR)/arch/riscv64/include -Iabi/include \
              -Ilib/virtio/include -Ilib/resmgr/include

# The kernel sources a host test links with, from its "// uses:" line.
host_uses = $(shell sed -n 's|^// uses: *||p' $(1))

.SECONDEXPANSION:
$(HOST_OUT)/%: tests/host/%.c tests/host/unit.h $$(call host_uses,tests/host/%.c) | setup-quiet
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(HOSTCC) $(HOST_CFLAGS) $(HOST_INC) -o $@ $< $(call host_uses,$<)

# Device-tree fixtures for test_fdt and test_bootinfo, compiled from .dts.
HOST_FIXTURES := $(patsubst tests/host/fixtures/%.dts,$(HOST_OUT)/fixtures/%.dtb,\
                   $(wildcard tests/host/fixtures/*.dts))

$(HOST_OUT)/fixtures/%.dtb: tests/host/fixtures/%.dts | setup-quiet
	@mkdir -p $(dir $@)
	@echo "  DTC     $@"
	@dtc -q -I dts -O dtb -o $@ $<

$(HOST_OUT)/test_fdt $(HOST_OUT)/test_bootinfo: $(HOST_FIXTURES) tests/host/fixtures/fdt_fixture.h

test: all $(CORRUPT_IMAGE) $(HOST_TESTS)
	@tools/harness --host $(HOST_TESTS) --harness-selftest --boots tests/boots.conf \
	    --kernel $(KERNEL_BIN) --initrd $(IMAGE) --logdir $(O)/tests

test-host: $(HOST_TESTS)
	@tools/harness --host $(HOST_TESTS) --harness-selftest --logdir $(O)/tests

test-system: all $(CORRUPT_IMAGE)
	@tools/harness --boots tests/boots.conf --kernel $(KERNEL_BIN) --initrd $(IMAGE) --logdir $(O)/tests

# `make stress SECONDS=N SMP=M [SEED=s]`: one long run of the embedded stress
# test through the harness (60 s on 4 harts by default; SEED repeats a run's
# choices), then its summary from the log.  Fails unless the run printed
# TEST PASS and powered off with status 0.  (STRESS_SECONDS, STRESS_SMP and
# STRESS_SEED are the long names.)
STRESS_SECONDS ?= $(or $(SECONDS),60)
STRESS_SMP     ?= $(or $(SMP),4)
STRESS_SEED    ?= $(SEED)
STRESS_NAME    := stress-$(STRESS_SECONDS)s-smp$(STRESS_SMP)
.PHONY: stress
stress: all
	@mkdir -p $(O)/tests
	@echo 'boot name=$(STRESS_NAME) smp=$(STRESS_SMP) mem=256' \
	    'timeout='$$(($(STRESS_SECONDS) + 180)) 'test_timeout='$$(($(STRESS_SECONDS) + 120)) \
	    'args="stress=$(STRESS_SECONDS)$(if $(STRESS_SEED), seed=$(STRESS_SEED))"' >$(O)/tests/stress.conf
	@tools/harness --boots $(O)/tests/stress.conf --kernel $(KERNEL_BIN) --initrd $(IMAGE) \
	    --logdir $(O)/tests; rc=$$?; grep '^stress: ' $(O)/tests/$(STRESS_NAME).log; exit $$rc

# `make bench`: instructions per operation under -icount shift=0 (tools/bench).
.PHONY: bench
bench: all $(KREL_BIN)
	@tools/bench $(KERNEL_BIN) $(IMAGE) $(O)/bench/results.json $(KREL_BIN)

# `make profile`: where the instructions of one ipcbench figure go, by
# function, counted by a QEMU plugin (tools/qprof; docs/benchmarks.md,
# Profiling).  PROFILE_WINDOW is the figure's measured loop, counting from
# 1 in ipcbench's order (7: msg_roundtrip_0B_replyrecv_same_cpu).
# PROFILE_KERNEL=release profiles the release kernel (make bench's second
# ipcbench boot); PROFILE_REPORT=--inline reports by inlined function and line.
PROFILE_WINDOW ?= 7
PROFILE_KERNEL ?= default
PROFILE_REPORT ?=
PROFILE_DIR := $(if $(filter release,$(PROFILE_KERNEL)),$(KREL_OUT),$(KOUT))
PROFILE_BIN := $(if $(filter release,$(PROFILE_KERNEL)),$(KREL_BIN),$(KERNEL_BIN))
$(O)/host/qprof.so: tools/qprof/qprof.c
	@mkdir -p $(dir $@)
	$(HOSTCC) -O2 -Wall -Wextra -Werror -shared -fPIC -o $@ $<

.PHONY: profile
profile: all $(O)/host/qprof.so $(PROFILE_BIN)
	@mkdir -p $(O)/bench
	@KERNEL=$(PROFILE_BIN) INITRD=$(IMAGE) SMP=1 APPEND=init=/proc/boot/ipcbench \
	    QEMU_EXTRA="-icount shift=0,sleep=off -plugin $(abspath $(O))/host/qprof.so,window=$(PROFILE_WINDOW),out=$(abspath $(O))/bench/qprof.out" \
	    tools/qemu-run </dev/null | grep '^BENCH' | awk '$$2 != "msg_0B_reply_leg_same_cpu" { n++ } { print "window " n ": " $$0 }'
	@tools/qprof/report $(PROFILE_REPORT) $(O)/bench/qprof.out $(PROFILE_DIR)/skimmer.elf $(O)/user/ipcbench
