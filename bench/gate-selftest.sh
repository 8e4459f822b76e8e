#!/usr/bin/env bash
# Proves on this machine that the regression gate catches a real slowdown, end to end:
#   1. measures the smoke suite with the Vector API kernels (the baseline),
#   2. measures it again with the scalar fallback forced (-Dxent.backend=scalar in the forks),
#   3. expects `gate` to exit 1 and flag the provider ("vector*") benchmarks (on a very loaded machine the
#      99.9 % intervals of one of them may overlap: at least one must be flagged), and a file compared with
#      itself to pass.
# About 2 minutes. Usage: bench/gate-selftest.sh [WORK_DIR]
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
echo "gate self-test passed: the scalar fallback is flagged, an identical run is not"
