#!/usr/bin/env bash
# Proves on this machine that the regression gate catches a real slowdown, end to end:
#   1. measures the smoke suite with the Vector API kernels (the baseline),
#   2. measures it again with the scalar fallback forced (-Dxent.backend=scalar in the forks),
#   3. expects `gate` to exit 1 and flag the provider ("vector*") benchmarks (on a very loaded machine the
#      99.9 % intervals of one of them may overlap: at least one must be flagged), and a file compared with
#      itself to pass;
#   4. the one-file form (`gate CURRENT`, baseline picked by machine class from a folder) to flag the same
#      slowdown, and a baseline relabelled to another class to be refused (exit 2).
# Both runs are of this machine's class. About 2 minutes. Usage: bench/gate-selftest.sh [WORK_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${1:-$(mktemp -d)}
mkdir -p "$WORK"
echo "gate self-test: results in $WORK"

"$ROOT/xent" bench --smoke --out "$WORK/vector" > "$WORK/vector.log"
"$ROOT/xent" bench --smoke --backend scalar --out "$WORK/scalar" > "$WORK/scalar.log"

set +e
"$ROOT/xent" gate "$WORK/vector/results.json" "$WORK/scalar/results.json" > "$WORK/gate.txt"
code=$?
set -e
cat "$WORK/gate.txt"
if [ "$code" -ne 1 ]; then
  echo "gate self-test FAILED: the gate exited $code on a vector -> scalar slowdown, expected 1" >&2
  exit 1
fi
# on a loaded machine the intervals of one of the two may still overlap; at least one must be flagged
if ! grep -q '^| SoftCrossEntropyBench.vector.*REGRESSION' "$WORK/gate.txt"; then
  echo "gate self-test FAILED: no vector benchmark is flagged as a regression" >&2
  exit 1
fi
if grep -q '^| SoftCrossEntropyBench.\(naive\|scalar\).*REGRESSION' "$WORK/gate.txt"; then
  echo "note: a naive/scalar benchmark was also flagged (they did not change: the machine is noisy)" >&2
fi
"$ROOT/xent" gate "$WORK/vector/results.json" "$WORK/vector/results.json" > /dev/null

# the one-file form: the folder holds the vector run as the baseline of this machine's class
mkdir -p "$WORK/baselines"
cp "$WORK/vector/results.json" "$WORK/baselines/this-class.json"
set +e
"$ROOT/xent" gate --baseline-dir "$WORK/baselines" "$WORK/scalar/results.json" > "$WORK/gate-picked.txt"
code=$?
set -e
if [ "$code" -ne 1 ] || ! grep -q '^| SoftCrossEntropyBench.vector.*REGRESSION' "$WORK/gate-picked.txt"; then
  cat "$WORK/gate-picked.txt"
  echo "gate self-test FAILED: gate CURRENT (baseline picked by class) exited $code, expected 1 with a vector regression" >&2
  exit 1
fi
# the same baseline with another class recorded must be refused in both forms
sed 's/"class" : "[^"]*"/"class" : "other-64"/' "$WORK/vector/results.json" > "$WORK/baselines/this-class.json"
expect_refused() {
  set +e
  "$ROOT/xent" gate "$@" > /dev/null 2> "$WORK/gate-refused.txt"
  local code=$?
  set -e
  if [ "$code" -ne 2 ] || ! grep -q 'other-64' "$WORK/gate-refused.txt"; then
    cat "$WORK/gate-refused.txt" >&2
    echo "gate self-test FAILED: a baseline of another class was not refused (gate $* exited $code)" >&2
    exit 1
  fi
}
expect_refused "$WORK/baselines/this-class.json" "$WORK/scalar/results.json"
expect_refused --baseline-dir "$WORK/baselines" "$WORK/scalar/results.json"
echo "gate self-test passed: the scalar fallback is flagged (baseline given or picked by class), an identical run is not, a baseline of another class is refused"
