package org.xent.bench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BenchmarkIdTest {

    @Test
    void readsLossImplementationOperationAndPrecision() {
        BenchmarkId id = BenchmarkId.parse("org.xent.bench.jmh.SoftCrossEntropyBench.vectorForwardBackward32");
        assertEquals(new BenchmarkId("SoftCrossEntropy", "vector", true, 32), id);
        assertFalse(id.isRoofline());
        assertEquals(new BenchmarkId("Roofline", "stream", true, 32), id.roofline());
        assertEquals(new BenchmarkId("SoftCrossEntropy", "naive", true, 32), id.naive());
        assertEquals(12, id.bytesPerElement());

        BenchmarkId f64 = BenchmarkId.parse("org.xent.bench.jmh.KLDivergenceBench.scalarForward64");
        assertEquals(new BenchmarkId("KLDivergence", "scalar", false, 64), f64);
        assertEquals(new BenchmarkId("Roofline", "dot", false, 64), f64.roofline());
        assertEquals(16, f64.bytesPerElement());

        assertEquals(4, BenchmarkId.parse("x.HardCrossEntropyBench.vectorForward32").bytesPerElement());
    }

    @Test
    void readsRooflines() {
        BenchmarkId dot = BenchmarkId.parse("org.xent.bench.jmh.RooflineBench.dot64");
        assertTrue(dot.isRoofline());
        assertEquals(dot, dot.roofline());
        assertEquals(16, dot.bytesPerElement());
        assertEquals(12, BenchmarkId.parse("org.xent.bench.jmh.RooflineBench.stream32").bytesPerElement());
    }

    @Test
    void readsSixteenBitStorage() {
        BenchmarkId id = BenchmarkId.parse("org.xent.bench.jmh.SoftCrossEntropyBench.bfloatForwardBackward16");
        assertEquals(new BenchmarkId("SoftCrossEntropy", "bfloat", true, 16), id);
        assertEquals(6, id.bytesPerElement()); // two 16-bit arrays read, one written
        assertEquals(BenchmarkId.parse("org.xent.bench.jmh.RooflineBench.stream16"), id.roofline());
        assertEquals("bfloat fwd+grad 16-bit", id.label());
    }

    @Test
    void unknownNamesAreNull() {
        assertNull(BenchmarkId.parse("org.xent.bench.jmh.SoftCrossEntropyBench.vectorForward8"));
        assertNull(BenchmarkId.parse("org.xent.bench.jmh.SoftCrossEntropyBench.helper"));
        assertNull(BenchmarkId.parse("org.xent.bench.jmh.RooflineBench.copy32"));
        assertNull(BenchmarkId.parse("org.xent.bench.jmh.Bench.vectorForward32"));
        assertNull(BenchmarkId.parse("org.xent.bench.jmh.Other.vectorForward32"));
        assertNull(BenchmarkId.parse("noDots"));
    }
}
