# ports/toybox/toybox.mk - toybox (Debian's toybox source package), cross-
# built with qsoe-cc into $(O)/ports/toybox; docs/toybox.md.
#
# tools/setup.sh unpacks the upstream tarball into $(TOYBOX_SRC), which is
# never written: the build copies it to $(TOYBOX_DIR)/src, applies
# ports/toybox/patches/*.patch there, turns ports/toybox/toybox.config (a
# miniconfig) into toybox's .config with its own kconfig, and runs its
# scripts/make.sh with CC=qsoe-cc (HOSTCC=cc builds its generators).  The
# output is $(TOYBOX_BIN), stripped (the unstripped one stays in
# $(TOYBOX_DIR)/src/generated/unstripped/toybox), and $(TOYBOX_APPLETS),
# the applet list that the build file's links must match.

TOYBOX_VER     := 0.8.9+dfsg
TOYBOX_SRC     := $(O)/src/toybox-$(TOYBOX_VER)
TOYBOX_DIR     := $(O)/ports/toybox
TOYBOX_TREE    := $(TOYBOX_DIR)/src
TOYBOX_BIN     := $(TOYBOX_DIR)/toybox
TOYBOX_APPLETS := $(TOYBOX_DIR)/applets
TOYBOX_PATCHES := $(sort $(wildcard ports/toybox/patches/*.patch))
# toybox's make.sh compiles CPUS files at once; one, as make runs beside it.
# KCONFIG_CONFIG: ours is exported (the top Makefile); toybox's kconfig and
# make.sh read that name too, and must use the tree's own .config.
TOYBOX_ENV     := CC=$(abspath $(QSOE_CC)) HOSTCC=cc CROSS_COMPILE= CPUS=1 \
                  STRIP=$(CROSS_COMPILE)strip KCONFIG_CONFIG=.config

# The boot image's build file (tools/image.mk's IMAGE_BUILD, which is
# included after the ports), whose links must match the applets.
TOYBOX_BUILDFILE := boot/qsoe.build

# The image needs it only when CONFIG_TOYBOX is set.
ifeq ($(CONFIG_TOYBOX),y)
PORTS += $(TOYBOX_BIN) $(TOYBOX_DIR)/links.ok
endif

# A fresh copy of the pristine tree with our patches, whenever they change.
$(TOYBOX_DIR)/stage.stamp: $(TOYBOX_PATCHES) ports/toybox/toybox.mk | setup-quiet
	@echo "  STAGE   $(TOYBOX_TREE)"
	@rm -rf $(TOYBOX_TREE) && mkdir -p $(TOYBOX_DIR)
	@cp -a $(TOYBOX_SRC) $(TOYBOX_TREE)
	@for p in $(TOYBOX_PATCHES); do \
	    patch -s -p1 -d $(TOYBOX_TREE) <$$p || { echo "toybox: $$p does not apply" >&2; exit 1; }; done
	@touch $@

# The miniconfig becomes a full .config; an option that kconfig dropped
# (misspelt, or a dependency missing) stops the build.
$(TOYBOX_TREE)/.config: ports/toybox/toybox.config $(TOYBOX_DIR)/stage.stamp $(LIBC_A) $(QSOE_CC)
	@echo "  CONFIG  toybox (ports/toybox/toybox.config)"
	@cd $(TOYBOX_TREE) && $(TOYBOX_ENV) KCONFIG_ALLCONFIG=$(abspath ports/toybox/toybox.config) \
	    MAKEFLAGS= MAKELEVEL= make -s allnoconfig >$(abspath $(TOYBOX_DIR))/config.log 2>&1 || \
	    { cat $(abspath $(TOYBOX_DIR))/config.log; exit 1; }
	@for o in $$(sed -n 's/^\(CONFIG_[A-Z0-9_]*\)=y$$/\1/p' ports/toybox/toybox.config); do \
	    grep -qx "$$o=y" $@ || { echo "toybox: $$o=y did not take (see $(TOYBOX_DIR)/config.log)" >&2; \
	    rm -f $@; exit 1; }; done

# toybox's own build; its log is $(TOYBOX_DIR)/make.log.
$(TOYBOX_BIN): $(TOYBOX_TREE)/.config $(LIBC_A) $(QSOE_CC)
	@echo "  TOYBOX  $(TOYBOX_BIN)"
	@cd $(TOYBOX_TREE) && $(TOYBOX_ENV) scripts/make.sh >$(abspath $(TOYBOX_DIR))/make.log 2>&1 || \
	    { tail -40 $(abspath $(TOYBOX_DIR))/make.log; exit 1; }
	@cp $(TOYBOX_TREE)/toybox $(TOYBOX_BIN)

$(TOYBOX_APPLETS): $(TOYBOX_BIN) ports/toybox/applets.sh
	@ports/toybox/applets.sh $(TOYBOX_TREE) >$@.new && mv $@.new $@

# boot/qsoe.build must link each applet to /proc/boot/toybox.
$(TOYBOX_DIR)/links.ok: $(TOYBOX_APPLETS) $(TOYBOX_BUILDFILE) ports/toybox/check-links.sh
	@ports/toybox/check-links.sh $(TOYBOX_BUILDFILE) $(TOYBOX_APPLETS)
	@touch $@

.PHONY: toybox
toybox: $(TOYBOX_BIN) $(TOYBOX_DIR)/links.ok
