#!/usr/bin/env bash
# tools/setup.sh - make a fresh Debian 12 machine able to build and run QSOE.
#
# Called by `make run` and `make test` (and every build step) before they build.  It is
# idempotent and quick when everything is present: it only asks dpkg and looks
# for the unpacked source trees.
#
#   1. Installs the Debian packages the build needs (apt-get update runs only
#      when something is missing).
#   2. Fetches third-party source packages with `apt-get source`, through a
#      private deb-src sources file and a private lists directory inside the
#      build tree.  /etc/apt is never written.
#
# Usage: tools/setup.sh [-q] [--no-sources] [BUILD_DIR]
#   -q  say nothing when there is nothing to do (installs are always shown)
set -euo pipefail

quiet=0
fetch_sources=1
while [ $# -gt 0 ]; do
	case "$1" in
	-q) quiet=1 ;;
	--no-sources) fetch_sources=0 ;;
	-*) echo "setup: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
	shift
done
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${1:-$top/build}")

say() { echo "setup: $*"; }                  # what setup does: always shown
note() { [ "$quiet" = 1 ] || echo "setup: $*"; } # "all present": not with -q
die() { echo "setup: error: $*" >&2; exit 1; }

# Run as root directly, or through sudo when we are not root.
if [ "$(id -u)" = 0 ]; then
	asroot=()
elif command -v sudo >/dev/null 2>&1; then
	asroot=(sudo -n)
else
	asroot=(false)
fi

# --- 1. Debian packages -------------------------------------------------------
# One package a line: what the build, the runner and the tests need.
packages=(
	make                  # the umbrella build
	gcc                   # host tools and host unit tests (ASan/UBSan)
	libc6-dev
	gcc-riscv64-linux-gnu # the cross compiler for the kernel and user space
	binutils-riscv64-linux-gnu
	qemu-system-misc      # qemu-system-riscv64 and OpenSBI (-bios default)
	kconfig-frontends-nox # kconfig-conf / kconfig-mconf, the Linux front ends
	libncurses-dev        # not needed by kconfig-mconf itself; kept for ports
	cpio                  # mkifs writes the boot image with Debian's cpio
	e2fsprogs             # mke2fs -d and e2fsck for disk images
	device-tree-compiler  # dtc, to inspect and test device trees
	dpkg-dev              # dpkg-source, used by apt-get source
	xz-utils
	python3               # the test harness (standard library only)
	gdb-multiarch         # GDB=1 make run: debugging the kernel
)

missing=()
for p in "${packages[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ] && ! sudo -n true 2>/dev/null; then
		die "missing Debian packages: ${missing[*]}. Installing them needs root: run 'sudo tools/setup.sh' once (or apt-get install them)."
	fi
	say "installing Debian packages: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	# Update the package lists only when they are absent or a day old.
	if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
		say "apt-get update"
		"${asroot[@]}" apt-get update -qq || die "apt-get update failed"
	fi
	if ! "${asroot[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
		say "install failed; refreshing package lists and trying again"
		"${asroot[@]}" apt-get update -qq || die "apt-get update failed"
		"${asroot[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
			die "could not install: ${missing[*]}"
	fi
else
	note "Debian packages: all present"
fi

[ "$fetch_sources" = 1 ] || exit 0

# --- 2. Third-party source packages --------------------------------------------
# name=version pairs; each is unpacked into $build/src/<name>-<upstream>.
sources=(
	musl=1.2.3-1
	mksh=59c-28+deb12u1
	toybox=0.8.9+dfsg-1
)
# Packages whose Debian packaging tarball the archive does not serve
# (toybox's debian.tar.xz answers 404, so `apt-get source` fails): only the
# .dsc and the upstream tarball are fetched (fetch_orig below).
orig_only=" toybox "

apt_dir=$build/apt
src_dir=$build/src

# A private deb-src list derived from the machine's own deb entries, so we use
# whatever mirror the machine is configured for and never touch /etc/apt.
write_private_sources() {
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial"
	local out=$apt_dir/sources.list.tmp
	: >"$out"
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		# deb822 stanzas: keep those with Types containing "deb", as deb-src.
		awk 'BEGIN { RS = ""; FS = "\n" }
		     {
		       deb = 0; uri = ""; suites = ""; comps = ""; signed = ""
		       for (i = 1; i <= NF; i++) {
		         if ($i ~ /^Types:/ && $i ~ /[ \t]deb([ \t]|$)/) deb = 1
		         else if ($i ~ /^URIs:/) { uri = $i; sub(/^URIs:[ \t]*/, "", uri) }
		         else if ($i ~ /^Suites:/) { suites = $i; sub(/^Suites:[ \t]*/, "", suites) }
		         else if ($i ~ /^Components:/) { comps = $i; sub(/^Components:[ \t]*/, "", comps) }
		         else if ($i ~ /^Signed-By:/) { signed = $i; sub(/^Signed-By:[ \t]*/, "", signed) }
		       }
		       if (deb && uri ~ /debian/) {
		         n = split(suites, s, /[ \t]+/)
		         split(uri, u, /[ \t]+/)
		         for (j = 1; j <= n; j++) {
		           if (s[j] == "") continue
		           opt = (signed != "") ? "[signed-by=" signed "] " : ""
		           print "deb-src " opt u[1] " " s[j] " " comps
		         }
		       }
		     }' "$f" >>"$out"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -n 's/^[ \t]*deb[ \t]\(.*debian.*\)$/deb-src \1/p' "$f" >>"$out"
	done
	[ -s "$out" ] || die "no Debian 'deb' entries found in /etc/apt to derive deb-src entries from"
	sort -u "$out" >"$apt_dir/sources.list.new"
	rm -f "$out"
	if ! cmp -s "$apt_dir/sources.list.new" "$apt_dir/sources.list" 2>/dev/null; then
		mv "$apt_dir/sources.list.new" "$apt_dir/sources.list"
		rm -f "$apt_dir/lists/"*_Sources* 2>/dev/null || true
	else
		rm -f "$apt_dir/sources.list.new"
	fi
}

apt_private=(
	-o "Dir::Etc::SourceList=$apt_dir/sources.list"
	-o "Dir::Etc::SourceParts=/dev/null"
	-o "Dir::State::Lists=$apt_dir/lists"
	-o "Dir::Cache::Archives=$apt_dir/archives"
	-o "APT::Sandbox::User=root"
)

# The .dsc and the orig tarball of name=ver, without the Debian packaging:
# apt names the files and the .dsc's hash (from the signed Sources index,
# which apt-helper checks the .dsc against); the tarball must match the
# .dsc's Checksums-Sha256, or the fetch fails.  Unpacked into dest.
fetch_orig() {
	local name=$1 ver=$2 dest=$3 tmp uris uri file size hash dsc= dsc_hash= orig= want got top
	tmp=$(mktemp -d)
	# --print-uris leaves out files already present, so ask in an empty directory.
	uris=$(cd "$tmp" && apt-get "${apt_private[@]}" source --print-uris -qq "$name=$ver" 2>/dev/null) ||
		{ rm -rf "$tmp"; die "apt-get source --print-uris $name=$ver failed"; }
	while read -r uri file size hash; do
		uri=${uri#\'} uri=${uri%\'}
		case $file in
		*.dsc) dsc=$file dsc_uri=$uri dsc_hash=$hash ;;
		*.orig.tar.*[!c]) orig=$file orig_uri=$uri ;;	# not the .asc signature
		esac
	done <<<"$uris"
	[ -n "$dsc" ] && [ -n "$orig" ] || { rm -rf "$tmp"; die "no .dsc or orig tarball for $name=$ver in: $uris"; }
	/usr/lib/apt/apt-helper "${apt_private[@]}" download-file "$dsc_uri" "$src_dir/$dsc" "$dsc_hash" >/dev/null ||
		{ rm -rf "$tmp"; die "could not download $dsc"; }
	want=$(awk -v f="$orig" '/^Checksums-Sha256:/ { in_sums = 1; next }
	    /^[^ ]/ { in_sums = 0 } in_sums && $3 == f { print $1 }' "$src_dir/$dsc")
	[ -n "$want" ] || { rm -rf "$tmp"; die "$dsc lists no SHA256 for $orig"; }
	got=
	[ -f "$src_dir/$orig" ] && got=$(sha256sum "$src_dir/$orig" | cut -d' ' -f1)
	if [ "$got" != "$want" ]; then
		/usr/lib/apt/apt-helper "${apt_private[@]}" download-file "$orig_uri" "$src_dir/$orig" >/dev/null ||
			{ rm -rf "$tmp"; die "could not download $orig"; }
		got=$(sha256sum "$src_dir/$orig" | cut -d' ' -f1)
	fi
	if [ "$got" != "$want" ]; then
		rm -rf "$tmp"
		mv -f "$src_dir/$orig" "$src_dir/$orig.bad"
		die "CHECKSUM MISMATCH: $orig has SHA256 $got, but $dsc says $want (kept as $orig.bad)"
	fi
	tar -xf "$src_dir/$orig" -C "$tmp" || { rm -rf "$tmp"; die "could not unpack $orig"; }
	top=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d)
	[ "$(echo "$top" | wc -l)" = 1 ] && [ -n "$top" ] ||
		{ rm -rf "$tmp"; die "$orig does not hold exactly one top directory"; }
	mv "$top" "$dest"
	rm -rf "$tmp"
}

need_fetch=()
for s in "${sources[@]}"; do
	name=${s%%=*}
	ver=${s#*=}
	upstream=${ver%-*}
	upstream=${upstream#*:}
	[ -f "$src_dir/$name-$upstream/.qsoe-unpacked" ] || need_fetch+=("$s")
done
if [ ${#need_fetch[@]} -eq 0 ]; then
	note "source packages: all present (${sources[*]})"
	exit 0
fi

write_private_sources
if [ -z "$(ls "$apt_dir/lists/" 2>/dev/null | grep _Sources)" ]; then
	say "apt-get update (private deb-src lists in $apt_dir)"
	apt-get "${apt_private[@]}" update -qq || die "apt-get update of the private deb-src lists failed"
fi
mkdir -p "$src_dir"
for s in "${need_fetch[@]}"; do
	name=${s%%=*}
	ver=${s#*=}
	upstream=${ver%-*}
	upstream=${upstream#*:}
	rm -rf "$src_dir/$name-$upstream"
	if [ "${orig_only/ $name /}" != "$orig_only" ]; then
		say "fetching source package $name $ver (the .dsc and upstream tarball only)"
		fetch_orig "$name" "$ver" "$src_dir/$name-$upstream"
	else
		say "fetching source package $name $ver"
		(cd "$src_dir" && apt-get "${apt_private[@]}" source -qq "$name=$ver") ||
			die "apt-get source $name=$ver failed"
	fi
	[ -d "$src_dir/$name-$upstream" ] || die "apt-get source $name did not unpack $name-$upstream"
	touch "$src_dir/$name-$upstream/.qsoe-unpacked"
done
