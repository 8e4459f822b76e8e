#!/usr/bin/env bash
# Runs one allocation-test execution of tests/pom.xml again and again, each run in a fresh JVM, beside a busy loop
# that takes a core: so that C2 compiles in the orders that a loaded CI machine sees. A kernel that boxes only in
# some compile orders (a helper taking vectors left out of line, for example once C2's node budget for inlining
# is spent) fails here in a few runs where an idle machine passes it hundreds of times.
#
#   tests/stress-allocation.sh [RUNS] [EXECUTION] [TEST]
#
# Defaults: 10 runs of the allocation-256 execution of LossesAllocationTest. EXECUTION is an execution id of
# tests/pom.xml (allocation, allocation-256, allocation-128, allocation-tier2); TEST a test class or pattern.
# Needs the modules installed first (./mvnw install -DskipTests). Prints each failing run and the count.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${1:-10}; EXECUTION=${2:-allocation-256}; TEST=${3:-LossesAllocationTest}
grep -q "<id>$EXECUTION</id>" "$ROOT/tests/pom.xml" || { echo "stress: no execution '$EXECUTION' in tests/pom.xml" >&2; exit 2; }
# the launcher's JDK search, without building anything
JAVA_HOME=$(sed -n '/^java_major()/,/^JDK=/p' "$ROOT/xent" | sed '$d' > /tmp/stress-jdk.$$ && source /tmp/stress-jdk.$$ \
    && rm -f /tmp/stress-jdk.$$ && find_jdk25)
export JAVA_HOME
( while :; do :; done ) &
HOG=$!
trap 'kill $HOG 2>/dev/null' EXIT
failed=0
for run in $(seq "$RUNS"); do
  if ! out=$(cd "$ROOT" && ./mvnw -B -o -q -ntp surefire:test@"$EXECUTION" -pl tests -Dtest="$TEST" \
      -Dsurefire.failIfNoSpecifiedTests=false 2>&1); then
    failed=$((failed + 1))
    echo "run $run failed:"
    echo "$out" | grep -m1 -E "AssertionFailedError|ERROR" || echo "$out" | tail -3
  fi
done
echo "$TEST in $EXECUTION: $failed of $RUNS runs failed"
[ "$failed" -eq 0 ]
