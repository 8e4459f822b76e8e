#!/usr/bin/env python3
"""Generates the MemorySegment kernels, one class per storage type, from one template.

Run from the repository root:  python3 core/src/template/gen_segment_kernels.py
With --check it writes nothing and exits 1 if a generated file differs from what the templates give (a test runs
that, so a hand edit of a generated file, or a template change without regenerating, fails the build).
The template marks every load of a stored element:
  FloatVector v = LOADV(seg, byteOffset);   a vector of float lanes, widened in registers
  LOADS(seg, byteOffset)                    one element, as a float
and ES, the bytes per element. The generated files say DO NOT EDIT; change the template and rerun.
"""
import pathlib
import re
import sys

CHECK = "--check" in sys.argv[1:]
STALE = []

ROOT = pathlib.Path(__file__).resolve().parents[3]
OUT = ROOT / "core/src/main/java/org/xent/internal/vector"

# How each storage type loads: a vector statement (given indent, name, segment, offset) and a scalar expression.
def load_f32(ind, name, seg, off):
    return [f"{ind}FloatVector {name} = FloatVector.fromMemorySegment(F, {seg}, {off}, NO);"]

def load_bf16(ind, name, seg, off):
    # bfloat16 is the upper half of a float32: widen to int and shift
    return [f"{ind}FloatVector {name} = ((IntVector) ShortVector.fromMemorySegment(SH, {seg}, {off}, NO)",
            f"{ind}        .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)",
            f"{ind}        .reinterpretAsFloats();"]

STORAGE = [
    ("F32", "float32", "4", load_f32,
     lambda seg, off: f"{seg}.get(ValueLayout.JAVA_FLOAT_UNALIGNED, {off})"),
    ("Bf16", "bfloat16", "2", load_bf16,
     lambda seg, off: f"HalfFloats.bfloat16ToFloat({seg}.get(ValueLayout.JAVA_SHORT_UNALIGNED, {off}))"),
]
# float16 is not generated: widening it in integer ops (about 12 ops a vector; this JDK's Vector API has no
# float16 conversion) made the distillation loop exceed C2's inlining budget (9-18 KB of boxed vectors a call)
# and ran soft CE at 0.35-0.62x of float32 on AVX2, while staging float16 through arrays uses the CPU's conversion
# instructions (C2 vectorises Float.float16ToFloat loops). The integer-op load is in this file's history.

TEMPLATES = ["SegmentSoftCrossEntropy", "SegmentDistillation"]

VECTOR_LOAD = re.compile(r"^(\s*)FloatVector (\w+) = LOADV\((\w+), ([^;]+)\);$")
SCALAR_LOAD = re.compile(r"LOADS\((\w+), ([^()]*(?:\([^()]*\)[^()]*)*)\)")

def main():
    for name in TEMPLATES:
        template = (pathlib.Path(__file__).parent / f"{name}.java.template").read_text()
        for suffix, storage, es, vload, sload in STORAGE:
            generate(template, name + suffix, storage, es, vload, sload)

def generate(template, cls, storage, es, vload, sload):
    lines = []
    for line in template.replace("@CLASS@", cls).replace("@STORAGE@", storage).replace("@ES@", es).splitlines():
        m = VECTOR_LOAD.match(line)
        if m:
            lines.extend(vload(m.group(1), m.group(2), m.group(3), m.group(4)))
            continue
        lines.append(SCALAR_LOAD.sub(lambda mm: sload(mm.group(1), mm.group(2)), line))
    text = "\n".join(lines) + "\n"
    if "LOADV" in text or "LOADS" in text:
        raise SystemExit(f"{cls}: a load the generator did not expand")
    target = OUT / f"{cls}.java"
    if CHECK:
        if not target.exists() or target.read_text() != text:
            STALE.append(target.name)
        return
    target.write_text(text)
    print(f"wrote {cls}.java")

if __name__ == "__main__":
    main()
    if STALE:
        raise SystemExit("stale generated kernels (rerun core/src/template/gen_segment_kernels.py): " + ", ".join(STALE))
