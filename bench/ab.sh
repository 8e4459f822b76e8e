#!/usr/bin/env bash
# Side-by-side A/B of two benchmark jars (for example the jar of main and the jar of a change) on one machine:
# their JMH forks alternate, A then B, round after round, so that a slow minute of a shared machine hits both.
# Prints every fork's score and, per benchmark and shape, the median of the per-round ratios B/A and their range.
#
#   bench/ab.sh A.jar B.jar [--isa avx512|avx2|128] [--rounds N] [--iterations N] REGEX [SHAPES]
#
# REGEX selects benchmarks as JMH does (e.g. 'SoftCrossEntropyBench\.vectorForward32$'); SHAPES is a comma
# list for the shape parameter (default: each benchmark's own). --isa restricts code generation exactly as
# `./xent bench --isa` does. Each fork: 3 warm-up and N (default 5) measured iterations of 1 s.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
usage() { echo "usage: bench/ab.sh A.jar B.jar [--isa avx512|avx2|128] [--rounds N] [--iterations N] REGEX [SHAPES]" >&2; exit 2; }
[ $# -ge 3 ] || usage
A=$1; B=$2; shift 2
[ -f "$A" ] || { echo "ab: no such jar: $A" >&2; exit 2; }
[ -f "$B" ] || { echo "ab: no such jar: $B" >&2; exit 2; }
ISA=""; ROUNDS=3; ITER=5
while [ $# -gt 0 ]; do
  case "$1" in
    --isa) ISA=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --iterations) ITER=$2; shift 2 ;;
    --*) usage ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || usage
REGEX=$1; SHAPES=${2:-}
case "$ISA" in
  "") ISA_FLAGS=() ;;
  avx512) ISA_FLAGS=() ;;
  avx2) ISA_FLAGS=(-XX:UseAVX=2) ;;
  128) ISA_FLAGS=(-XX:MaxVectorSize=16) ;;
  *) echo "ab: --isa must be avx512, avx2 or 128, got '$ISA'" >&2; exit 2 ;;
esac
# the launcher's JDK search, without building anything
JAVA=$(sed -n '/^java_major()/,/^JDK=/p' "$ROOT/xent" | sed '$d' > /tmp/ab-jdk.$$ && source /tmp/ab-jdk.$$ && rm -f /tmp/ab-jdk.$$ && find_jdk25)/bin/java
PARAMS=(); [ -n "$SHAPES" ] && PARAMS=(-p "shape=$SHAPES")
OUT=$(mktemp)
for r in $(seq "$ROUNDS"); do
  for side in A B; do
    jar=$A; [ "$side" = B ] && jar=$B
    "$JAVA" "${ISA_FLAGS[@]}" --add-modules jdk.incubator.vector --sun-misc-unsafe-memory-access=allow -cp "$jar" \
        org.openjdk.jmh.Main "$REGEX" "${PARAMS[@]}" -f 1 -wi 3 -i "$ITER" -w 1 -r 1 2>/dev/null \
      | awk -v round="$r" -v side="$side" '$1 ~ /^[A-Za-z]+Bench\.[A-Za-z0-9]+$/ {
            m = 0; for (i = 2; i <= NF; i++) if ($i == "thrpt") m = i
            if (m == 0) next
            printf "%s %s %s %s %s %s\n", round, side, $1, (m > 2 ? $2 : "-"), $(m + 2), ($(m + 3) == "±" ? $(m + 4) : "?") }' \
      | tee -a "$OUT"
  done
done
echo
echo "B/A per round (median, range) over $ROUNDS rounds${ISA:+, --isa $ISA}:"
awk '{ key = $3 " " $4; s[$1 " " $2 " " key] = $5; keys[key] = 1; if ($1 > R) R = $1 }
  END { for (k in keys) { n = 0
          for (r = 1; r <= R; r++) { a = s[r " A " k]; b = s[r " B " k]; if (a > 0 && b > 0) q[++n] = b / a }
          for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (q[j] < q[i]) { t = q[i]; q[i] = q[j]; q[j] = t }
          med = n % 2 ? q[(n + 1) / 2] : (q[n / 2] + q[n / 2 + 1]) / 2
          printf "  %-50s %-14s %.3f  [%.3f, %.3f]  (%d rounds)\n", substr(k, 1, index(k, " ") - 1), substr(k, index(k, " ") + 1), med, q[1], q[n], n } }' "$OUT" | sort
rm -f "$OUT"
