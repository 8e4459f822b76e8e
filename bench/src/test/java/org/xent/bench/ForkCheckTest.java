package org.xent.bench;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForkCheckTest {

    @TempDir
    Path dir;

    private static final String VECTOR = "vector\tvector (FloatVector 512-bit)\n";
    private static final String SCALAR = "scalar\tscalar (plain Java)\n";

    private Path log(String text) throws IOException {
        Path p = dir.resolve("forks.log");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void allVectorForksPass() throws IOException {
        assertNull(BenchCommand.checkForks(log(VECTOR + VECTOR), false));
    }

    @Test
    void oneScalarForkIsASilentFallback() throws IOException {
        String problem = BenchCommand.checkForks(log(VECTOR + SCALAR + VECTOR), false);
        assertTrue(problem != null && problem.contains("FELL BACK"), problem);
    }

    @Test
    void scalarForksAreFineWhenAskedFor() throws IOException {
        assertNull(BenchCommand.checkForks(log(SCALAR + SCALAR), true));
        String problem = BenchCommand.checkForks(log(SCALAR + VECTOR), true);
        assertTrue(problem != null && problem.contains("--backend scalar"), problem);
    }

    @Test
    void noRecordIsAnError() throws IOException {
        assertTrue(BenchCommand.checkForks(dir.resolve("absent.log"), false).contains("no benchmark fork"));
        assertTrue(BenchCommand.checkForks(log(""), false).contains("no benchmark fork"));
    }
}
