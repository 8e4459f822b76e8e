package org.xent.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.xent.io.Npy;
import org.xent.io.NpyArray;

/**
 * Writes the outputs of a run all or nothing: each is first written in full to a temporary file next to its
 * destination, and only when all are written are they moved into place. A failure removes what was staged, so
 * no partial or stale-and-new mix of outputs is left behind.
 */
final class OutputFiles {
    private final List<Path> files = new ArrayList<>();
    private final List<String> flags = new ArrayList<>();

    /** Checks an output path before any work is done, so that a typo costs no computation. */
    void add(Option option, Path file) throws CliException {
        Path absolute = file.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) {
            throw CliException.usage(option.flag() + ": " + file + " is a directory");
        }
        Path dir = absolute.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw CliException.usage(option.flag() + ": the folder of " + file + " does not exist");
        }
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).toAbsolutePath().normalize().equals(absolute)) {
                throw CliException.usage(option.flag() + " and " + flags.get(i) + " name the same file " + file);
            }
        }
        files.add(file);
        flags.add(option.flag());
    }

    /** Writes {@code arrays[i]} to the i-th added file; all or none end up in place. */
    void writeAll(List<NpyArray> arrays) throws CliException {
        List<Path> staged = new ArrayList<>();
        int current = 0;
        int moved = 0;
        try {
            for (current = 0; current < files.size(); current++) {
                staged.add(Npy.writeTemporary(files.get(current), Npy.toBytes(arrays.get(current))));
            }
            for (current = 0; current < files.size(); current++) {
                Npy.moveIntoPlace(staged.get(current), files.get(current));
                moved = current + 1;
            }
        } catch (IOException | RuntimeException e) {
            for (int i = 0; i < staged.size(); i++) {
                deleteQuietly(i < moved ? files.get(i) : staged.get(i));
            }
            throw new CliException(CliException.FAILURE, "cannot write " + files.get(current) + ": " + e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // Best effort: the error that made us clean up is the one reported.
        }
    }
}
