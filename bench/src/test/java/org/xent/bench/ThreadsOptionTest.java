package org.xent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xent.bench.machine.JvmFacts;

/** {@code bench --threads LIST}: refused before any JVM starts when the list is not thread counts of at least 1. */
class ThreadsOptionTest {

    private String err;

    private int bench(String... args) {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = BenchCommand.run(List.of(args), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8), JvmFacts.current());
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    @Test
    void badListsAreUsageErrors() {
        for (String bad : new String[] {"0", "1,,2", "two", "-1", "1,0", ""}) {
            assertEquals(BenchCommand.USAGE, bench("--threads", bad), bad);
            assertTrue(err.contains("--threads takes thread counts of at least 1"), err);
        }
        assertEquals(BenchCommand.USAGE, bench("--threads"));
        assertTrue(err.contains("--threads needs a value"), err);
    }

    @Test
    void threadsExcludesTheOtherSuites() {
        assertEquals(BenchCommand.USAGE, bench("--threads", "1,2", "--smoke"));
        assertTrue(err.contains("exclude each other"), err);
    }
}
