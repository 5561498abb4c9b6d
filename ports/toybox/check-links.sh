#!/bin/sh
# ports/toybox/check-links.sh - check that the boot image's build file has
# exactly one link /proc/boot/<applet> -> /proc/boot/toybox per applet
# that the toybox build provides (applets.sh), and no other.
#
#   ports/toybox/check-links.sh BUILDFILE APPLET_LIST
set -eu
buildfile=$1 applets=$2
links=$(mktemp)
trap 'rm -f "$links"' EXIT
sed -n 's|^\[.*type=link[^]]*\] */proc/boot/\([^ ]*\) *= */proc/boot/toybox *$|\1|p' "$buildfile" |
	LC_ALL=C sort >"$links"
if ! LC_ALL=C cmp -s "$links" "$applets"; then
	echo "toybox: the links in $buildfile do not match the applets built ($applets):" >&2
	LC_ALL=C comm -13 "$links" "$applets" | sed 's/^/  missing link: \/proc\/boot\//' >&2
	LC_ALL=C comm -23 "$links" "$applets" | sed 's/^/  link without an applet: \/proc\/boot\//' >&2
	exit 1
fi
