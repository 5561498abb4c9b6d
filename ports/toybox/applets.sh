#!/bin/sh
# ports/toybox/applets.sh - list the applets a configured toybox tree
# provides, one a line, sorted.  The multiplexer "toybox" itself and the
# shell builtins (TOYFLAG_NOFORK, such as ":"), which toybox runs only
# inside its own shell, are left out.
# It runs toybox's generated newtoys.h through the host preprocessor with
# the generated config.h, so an applet counts only if its USE_X is on.
#
#   ports/toybox/applets.sh TOYBOX_TREE
set -eu
tree=$1
{
	cat "$tree/generated/config.h"
	echo '#define NEWTOY(name, opts, flags) QSOE_APPLET name flags'
	echo '#define OLDTOY(name, old, flags) QSOE_APPLET name flags'
	cat "$tree/generated/newtoys.h"
} | ${HOSTCC:-cc} -E -P -xc - | grep -v TOYFLAG_NOFORK |
	sed -n 's/.*QSOE_APPLET \([^ ]*\) .*/\1/p' | grep -vx toybox | LC_ALL=C sort -u
