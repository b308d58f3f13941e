#!/usr/bin/env bash
# Builds the base image the four plugin images share, once per build, into <out>:
#   <out>/layers/rootfs          the host's shared libraries the runtime needs and the dynamic
#                                loader, /etc/passwd and /etc/group with the non-root user, /tmp
#   <out>/layers/runtime         /opt/java: a jlink'ed JDK with the CDS archive of its classes
#   <out>/base.tar               both layers as an image in `docker save` format (Jib's tar:// base)
# The output is deterministic for the same JDK, module list and host libraries: every image built
# on it shares these two layers byte for byte, at the bottom of the image, and so does the next
# build. Callers may run it once per module: it returns at once when <out> is up to date.
#
# usage: images/runtime.sh <out> <jdk-home> <modules,comma,separated>
set -euo pipefail

out=$1 jdk=$2 modules=$3
stamp="script=$(sha256sum "$0" | cut -c1-16) jdk=$(sha256sum "$jdk/release" | cut -c1-16) modules=$modules"

mkdir -p "$out"
exec 9>"$out/.lock"
flock 9    # parallel module builds (-T) wait here for the first one

if [[ -f $out/stamp && $(cat "$out/stamp") == "$stamp" && -f $out/base.tar ]]; then
  echo "images/runtime.sh: the base in $out is up to date ($modules)"
  exit 0
fi

rm -rf "$out/layers" "$out/base.tar" "$out/stamp"
work=$(mktemp -d "$out/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
rt=$work/runtime/opt/java
root=$work/rootfs
mkdir -p "$(dirname "$rt")" "$root"

# zip-0: registries and `docker save` gzip each layer as a whole, which compresses class files
# better than jlink's per-resource zip (22 MB instead of 26 MB) and the JVM reads them faster.
"$jdk/bin/jlink" \
  --add-modules "$modules" \
  --strip-debug --no-man-pages --no-header-files \
  --compress zip-0 \
  --generate-cds-archive \
  --output "$rt" >/dev/null

# The archive for -XX:-UseCompressedOops (heaps of 32 GB and more): 14 MB no plugin will use.
rm -f "$rt/lib/server/classes_nocoops.jsa"
# Only java is needed; keytool and friends stay in the JDK.
find "$rt/bin" -type f ! -name java -delete
# Symbol tables (not the dynamic symbols) of the native code: 5 MB that only debuggers read.
if command -v strip >/dev/null; then
  find "$rt" -name '*.so' -exec strip --strip-unneeded {} +
  strip --strip-unneeded "$rt/bin/java"
fi

# What every ELF file of the runtime links against that the runtime lacks: libc, libm, libdl,
# libpthread, librt and the loader, each at the path the host has it (where the loader looks).
# JNA's libjnidispatch, which docker-java unpacks into /tmp for the Unix socket, needs libc only.
mkdir -p "$root/etc" "$root/tmp"
find "$rt" -type f \( -name '*.so' -o -path '*/bin/java' \) -exec ldd {} \; 2>/dev/null \
  | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' | sort -u \
  | while read -r lib; do
      case $lib in
        "$rt"/*) ;;
        *) mkdir -p "$root$(dirname "$lib")" && cp -L "$lib" "$root$lib" ;;
      esac
    done
[[ -n $(find "$root" -name 'ld-linux*' -print -quit) && -n $(find "$root" -name libc.so.6 -print -quit) ]] \
  || { echo "images/runtime.sh: ldd did not name the loader and libc of $rt/bin/java" >&2; exit 1; }
# The character classes of C.UTF-8 (57 KB gzipped): with LC_CTYPE=C.UTF-8 the JVM then spells
# file names beyond ASCII, as deploy's volume-copy helper needs; every other category stays C.
# glibc 2.35+ ships it compiled (Debian: libc-bin); without it the helper streams such trees.
if [[ -f /usr/lib/locale/C.utf8/LC_CTYPE ]]; then
  mkdir -p "$root/usr/lib/locale/C.utf8" && cp /usr/lib/locale/C.utf8/LC_CTYPE "$root/usr/lib/locale/C.utf8/"
fi
printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' 'nonroot:x:65532:65532:nonroot:/tmp:/sbin/nologin' > "$root/etc/passwd"
printf '%s\n' 'root:x:0:' 'nonroot:x:65532:' > "$root/etc/group"
printf '%s\n' 'passwd: files' 'group: files' 'hosts: files dns' > "$root/etc/nsswitch.conf"

chmod -R go-w,a+rX "$work/runtime" "$root"
chmod 1777 "$root/tmp"
# The same mtime Jib gives application files: the host can then run this runtime with exactly
# the files of the image (CDS archives check the sizes and mtimes of the files they cover).
find "$work/runtime" "$root" -exec touch -h -d @1 {} +

# A `docker save` image: manifest.json, the config, one uncompressed tar per layer.
layer() {  # <dir> <name>: writes <name>.tar, prints its diff id
  tar -C "$1" --sort=name --format=gnu --owner=0 --group=0 --numeric-owner --mtime=@1 \
    -cf "$work/image/$2.tar" .
  echo "sha256:$(sha256sum "$work/image/$2.tar" | cut -d' ' -f1)"
}
mkdir -p "$work/image"
rootfs_id=$(layer "$root" rootfs)
runtime_id=$(layer "$work/runtime" runtime)
case $(uname -m) in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
cat > "$work/image/config.json" <<EOF
{"architecture":"$arch","os":"linux",
 "config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java"]},
 "rootfs":{"type":"layers","diff_ids":["$rootfs_id","$runtime_id"]},
 "history":[{"created":"1970-01-01T00:00:01Z","created_by":"images/runtime.sh: libc, loader, users, /tmp"},
            {"created":"1970-01-01T00:00:01Z","created_by":"images/runtime.sh: jlink runtime --add-modules $modules"}]}
EOF
echo '[{"Config":"config.json","RepoTags":[],"Layers":["rootfs.tar","runtime.tar"]}]' > "$work/image/manifest.json"
tar -C "$work/image" --sort=name --format=gnu --owner=0 --group=0 --numeric-owner --mtime=@1 \
  -cf "$work/base.tar" manifest.json config.json rootfs.tar runtime.tar

mkdir -p "$out/layers"
mv "$work/rootfs" "$work/runtime" "$out/layers/"
mv "$work/base.tar" "$out/base.tar"
echo "$stamp" > "$out/stamp"
echo "images/runtime.sh: built $out/base.tar ($modules): $(( $(stat -c %s "$out/base.tar") / 1048576 )) MB"
