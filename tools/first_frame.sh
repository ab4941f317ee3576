#!/bin/bash
# Seconds from starting the window (BIN, offline, fresh settings) until its map area is painted:
# polls one pixel of an Xvfb screen (DISPLAY, default :99) until it is no longer black.
#
#     Xvfb :99 -screen 0 1600x1000x24 &
#     tools/first_frame.sh target/release/claimmap
set -u
BIN=$1
DISPLAY=${DISPLAY:-:99}
export DISPLAY
settings=$(mktemp -d)
start=$(date +%s.%N)
XDG_CONFIG_HOME=$settings XDG_DATA_HOME=$settings XDG_CACHE_HOME=$settings "$BIN" --offline >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 500); do
  colour=$(import -window root -crop 1x1+800+400 -depth 8 txt:- 2>/dev/null | tail -1 | awk '{print $3}')
  if [ -n "$colour" ] && [ "$colour" != "#000000" ]; then
    echo "$(date +%s.%N) - $start" | bc
    break
  fi
  sleep 0.02
done
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
rm -rf "$settings"
