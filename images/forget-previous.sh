#!/usr/bin/env bash
# Every image build leaves the image it replaces untagged on the engine. Before a module's next
# build, this removes the one its build before last made, if nothing tags or uses it any more
# (so at most one such image per module stays behind), and keeps the last build's id for next time.
# It never touches an image this worktree did not build: only ids Jib wrote into <target>.
#
# usage: images/forget-previous.sh <target dir>
set -uo pipefail

target=$1
previous=$(cat "$target/jib-image.previous" 2>/dev/null)
if [[ -n $previous && $(docker image inspect -f '{{len .RepoTags}}' "$previous" 2>/dev/null) == 0 ]]; then
  docker rmi "$previous" >/dev/null 2>&1 && echo "images/forget-previous.sh: removed $previous, untagged since the build before last"
fi
if [[ -f $target/jib-image.id ]]; then
  mv "$target/jib-image.id" "$target/jib-image.previous"
fi
exit 0
