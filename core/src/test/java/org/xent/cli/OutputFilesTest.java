package org.xent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xent.io.Npy;
import org.xent.io.NpyArray;

/** Outputs are published all or nothing. */
class OutputFilesTest {

    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesEveryOutput() throws Exception {
        OutputFiles out = new OutputFiles();
        out.add(Option.LOSS_OUT, dir.resolve("l.npy"));
        out.add(Option.GRAD_OUT, dir.resolve("g.npy"));
        out.writeAll(List.of(NpyArray.of(new float[] {1}, 1), NpyArray.of(new double[] {2, 3}, 1, 2)));
        assertEquals(List.of("g.npy", "l.npy"), names());
        assertArrayEquals(new double[] {2, 3}, Npy.read(dir.resolve("g.npy")).toDoubles());
    }

    @Test
    void aFailureOnTheSecondOutputLeavesTheFirstUntouched() throws Exception {
        Path loss = dir.resolve("l.npy");
        Files.writeString(loss, "previous");
        OutputFiles out = new OutputFiles();
        out.add(Option.LOSS_OUT, loss);
        out.add(Option.GRAD_OUT, dir.resolve("g.npy"));
        // The second array cannot be serialised: the first, already staged, must not be published.
        CliException e = assertThrows(CliException.class,
                () -> out.writeAll(Arrays.asList(NpyArray.of(new float[] {1}, 1), null)));
        assertEquals(CliException.FAILURE, e.exitCode());
        assertTrue(e.getMessage().startsWith("cannot write " + dir.resolve("g.npy")), e.getMessage());
        assertEquals(List.of("l.npy"), names(), "no temporary file and no second output");
        assertEquals("previous", Files.readString(loss));
    }

    @Test
    void pathsAreCheckedBeforeAnyWork() throws IOException {
        OutputFiles out = new OutputFiles();
        CliException missing = assertThrows(CliException.class,
                () -> out.add(Option.LOSS_OUT, dir.resolve("no/l.npy")));
        assertEquals(CliException.USAGE, missing.exitCode());
        Path sub = Files.createDirectory(dir.resolve("sub"));
        assertTrue(assertThrows(CliException.class, () -> out.add(Option.GRAD_OUT, sub)).getMessage()
                .contains("is a directory"));
    }
}
