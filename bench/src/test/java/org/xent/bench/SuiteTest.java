package org.xent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What the threads suite runs, and the timing override that shortens a suite to a plumbing check. */
class SuiteTest {

    private static boolean runs(Suite suite, String benchmark) {
        return suite.includes().stream().anyMatch(p -> Pattern.compile(p).matcher(benchmark).find());
    }

    @Test
    void threadsSuiteRunsTheThreadedRooflinesAndPyTorchOnRequest() {
        String kernel = "org.xent.bench.jmh.ParallelSoftCrossEntropyBench.parallelForwardBackward32";
        String roof = "org.xent.bench.jmh.ParallelRooflineBench.stream32";
        String torch = "org.xent.bench.torch.ParallelSoftCrossEntropyBench.torchForward32";
        for (boolean withTorch : new boolean[] {false, true}) {
            Suite s = Suite.threads(withTorch);
            assertTrue(runs(s, kernel) && runs(s, roof) && runs(s, "org.xent.bench.jmh.ParallelRooflineBench.dot32"));
            assertEquals(withTorch, runs(s, torch));
            assertEquals(withTorch, runs(s, torch.replace("torchForward32", "torchForwardBackward32")));
            // neither the one-thread rooflines nor the one-thread PyTorch rows
            assertTrue(!runs(s, "org.xent.bench.jmh.RooflineBench.dot32")
                    && !runs(s, "org.xent.bench.torch.SoftCrossEntropyBench.torchForward32"));
            assertEquals(List.of("8x128", "4096x128", "1024x1000", "256x32000"), s.shapes());
        }
        // the default suite does not pick the threaded classes up
        Suite standard = Suite.standard(true);
        assertTrue(!runs(standard, roof) && !runs(standard, torch) && !runs(standard, kernel));
    }

    @Test
    void timingOverrideShortensTheSuiteAndSaysSo() {
        Suite s = Suite.threads(true).withTiming("1, 0, 100, 1, 200");
        assertEquals(List.of(1, 0, 100, 1, 200), List.of(s.forks(), s.warmups(), s.warmupMs(), s.iterations(),
                s.iterationMs()));
        assertTrue(s.name().contains("not a measurement"), s.name());
        assertEquals(Suite.threads(true).includes(), s.includes());
        for (String bad : new String[] {"1,0,100,1", "0,0,100,1,100", "1,0,100,0,100", "1,-1,100,1,100", "a,b,c,d,e"}) {
            assertThrows(IllegalArgumentException.class, () -> Suite.threads(false).withTiming(bad), bad);
        }
    }
}
