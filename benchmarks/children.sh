#!/usr/bin/env bash
# How late a task of the concurrency pool runs while tests await child processes: Foundation's
# blocking waitUntilExit() vs ChildProcess.run of Tests/GovWatchTestSupport. Writes
# benchmarks/results/children.md. Needs only swiftc (a few seconds to build, ~1 minute to run).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/govwatch-children.XXXXXX)
trap 'rm -rf "$work"' EXIT
timeout 600 swiftc -swift-version 6 -O Tests/GovWatchTestSupport/ChildProcess.swift benchmarks/children/main.swift -o "$work/children"
table=$(timeout 600 "$work/children")
out=benchmarks/results/children.md
{
  echo "# Child processes awaited beside the concurrency pool"
  echo
  echo "\`bash benchmarks/children.sh\` — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(swift --version 2>/dev/null | head -1)"
  echo
  echo "N children (\`sleep 3\`) are awaited at once from async code; beside them a probe task sleeps"
  echo "0.3 s and then needs a thread of Swift's cooperative pool for an instant. The table gives how"
  echo "late it ran. Every test of \`swift test\` runs on that pool (one thread per core)."
  echo
  echo "$table"
  echo
  echo "With \`waitUntilExit()\` each child holds a pool thread for its whole life: with as many"
  echo "children as cores nothing else runs until one ends, and more children queue behind them."
  echo "\`ChildProcess.run\` awaits the child through its \`terminationHandler\` and reads its pipes on"
  echo "threads of its own, so the probe runs on time whatever the number of children."
} > "$out"
cat "$out"
