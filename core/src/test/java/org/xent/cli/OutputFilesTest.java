package org.xent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void writesEveryOutputThroughItsMapping() throws Exception {
        OutputFiles out = new OutputFiles();
        out.add(Option.LOSS_OUT, dir.resolve("l.npy"));
        out.add(Option.GRAD_OUT, dir.resolve("g.npy"));
        NpyArray loss = out.create(Option.LOSS_OUT, NpyArray.DType.FLOAT32, 1);
        NpyArray grad = out.create(Option.GRAD_OUT, NpyArray.DType.FLOAT64, 1, 2);
        loss.segment().setAtIndex(ValueLayout.JAVA_FLOAT, 0, 1f);
        grad.segment().setAtIndex(ValueLayout.JAVA_DOUBLE, 0, 2);
        grad.segment().setAtIndex(ValueLayout.JAVA_DOUBLE, 1, 3);
        assertEquals(2, names().size(), "staged as hidden temporary files");
        assertTrue(names().stream().allMatch(n -> n.startsWith(".")), names().toString());
        out.publish();
        out.discard(); // after a publish there is nothing to remove
        assertEquals(List.of("g.npy", "l.npy"), names());
        assertArrayEquals(new double[] {2, 3}, Npy.read(dir.resolve("g.npy")).toDoubles());
        assertArrayEquals(new float[] {1}, Npy.read(dir.resolve("l.npy")).toFloats());
    }

    @Test
    void aFailureOnTheSecondOutputLeavesTheFirstUntouched() throws Exception {
        Path loss = dir.resolve("l.npy");
        Files.writeString(loss, "previous");
        Path sub = Files.createDirectory(dir.resolve("sub"));
        OutputFiles out = new OutputFiles();
        out.add(Option.LOSS_OUT, loss);
        out.add(Option.GRAD_OUT, sub.resolve("g.npy"));
        out.create(Option.LOSS_OUT, NpyArray.DType.FLOAT32, 3);
        Files.delete(sub); // the second output's folder is gone by the time it is created
        CliException e = assertThrows(CliException.class,
                () -> out.create(Option.GRAD_OUT, NpyArray.DType.FLOAT32, 3));
        assertEquals(CliException.FAILURE, e.exitCode());
        assertTrue(e.getMessage().startsWith("cannot write " + sub.resolve("g.npy")), e.getMessage());
        out.discard();
        assertEquals(List.of("l.npy"), names(), "no temporary file and no second output");
        assertEquals("previous", Files.readString(loss));
    }

    @Test
    void discardingAfterAFailedComputationLeavesNothing() throws Exception {
        OutputFiles out = new OutputFiles();
        out.add(Option.GRAD_OUT, dir.resolve("g.npy"));
        out.create(Option.GRAD_OUT, NpyArray.DType.FLOAT16, 4, 4);
        out.discard();
        assertEquals(List.of(), names());
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
