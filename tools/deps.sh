#!/bin/sh
# deps.sh - install what building and testing ctok needs on Debian 12, if it is missing:
# a C compiler, make and PCRE2 (the general split-pattern engine).  Runs apt-get as root (or
# through sudo); does nothing when everything is there.
set -e
need=""
command -v cc >/dev/null 2>&1 || need="$need gcc libc6-dev"
command -v make >/dev/null 2>&1 || need="$need make"
[ -f /usr/include/pcre2.h ] || need="$need libpcre2-dev"
[ -z "$need" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
echo "deps.sh: installing$need" >&2
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
