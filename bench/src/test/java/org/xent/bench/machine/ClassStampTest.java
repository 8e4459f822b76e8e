package org.xent.bench.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xent.bench.results.JmhResults;
import org.xent.bench.results.Json;

/** The class record in a results file: one field in each JMH record, the rest of JMH's text untouched. */
class ClassStampTest {

    private static final String JMH = """
            [
                {
                    "jmhVersion" : "1.37",
                    "benchmark" : "org.xent.bench.jmh.RooflineBench.dot32",
                    "mode" : "thrpt",
                    "params" : { "shape" : "4096x128" },
                    "primaryMetric" : { "score" : 10.5, "scoreError" : "NaN", "scoreUnit" : "ops/s",
                        "rawData" : [ [ 1.0, 2.0 ] ] },
                    "secondaryMetrics" : { "note {with braces}" : "a \\"quoted\\" {" }
                },
                {
                    "jmhVersion" : "1.37",
                    "benchmark" : "org.xent.bench.jmh.SoftCrossEntropyBench.vectorForward32",
                    "mode" : "thrpt",
                    "params" : { "shape" : "4096x128" },
                    "primaryMetric" : { "score" : 5.0, "scoreError" : 0.5, "scoreUnit" : "ops/s" }
                }
            ]
            """;

    private static final MachineClass AVX2 = new MachineClass("avx2", 256, true, "-XX:UseAVX=2", "CPU \"X\" 3 GHz");

    @Test
    void everyRecordGetsTheFieldAndNothingElseChanges() {
        String stamped = ClassStamp.stamp(JMH, AVX2);
        List<?> rows = (List<?>) Json.parse(stamped);
        assertEquals(2, rows.size());
        for (Object row : rows) {
            Map<?, ?> r = (Map<?, ?>) row;
            assertEquals(MachineClass.FIELD, r.keySet().iterator().next(), "the class comes first");
            MachineClass back = MachineClass.fromJson(r.get(MachineClass.FIELD));
            assertEquals(AVX2, back);
            assertEquals(8.0, ((Map<?, ?>) r.get(MachineClass.FIELD)).get("floatLanes"));
        }
        // removing the inserted lines gives JMH's text back, byte for byte
        String field = "\n        \"" + MachineClass.FIELD + "\" : " + AVX2.toJson("        ") + ",";
        assertEquals(JMH, stamped.replace(field, ""));
        assertEquals("avx2-256", JmhResults.machineClass(stamped).id());
        assertEquals(2, JmhResults.parse(stamped).size());
    }

    @Test
    void unstampedFilesHaveNoClass() {
        assertEquals(null, JmhResults.machineClass(JMH));
    }

    @Test
    void anEmptyRecordStaysValidJson() {
        String stamped = ClassStamp.stamp("[ {} ]", AVX2);
        Map<?, ?> r = (Map<?, ?>) ((List<?>) Json.parse(stamped)).get(0);
        assertEquals(1, r.size());
    }

    @Test
    void classNames() {
        assertEquals(new MachineClass("128", 128, false, "", "unknown"), MachineClass.parseId("128-128"));
        assertEquals("x86-avx1-nofma", MachineClass.parseId("x86-avx1-nofma-128").isa());
        for (String bad : new String[] {"avx2", "avx2-", "-256", "avx2-abc", "avx2-100"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MachineClass.parseId(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }
}
