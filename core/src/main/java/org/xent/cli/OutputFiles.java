package org.xent.cli;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.xent.io.Npy;
import org.xent.io.NpyArray;

/**
 * The outputs of a run, written all or nothing. Each is created as a hidden temporary file next to its destination
 * and mapped ({@link Npy#create}), so the loss writes its values straight into the file whatever their size; only
 * when the whole computation has succeeded are they moved into place ({@link #publish}). A failure removes what
 * was staged ({@link #discard}), so no partial or stale-and-new mix of outputs is left behind.
 */
final class OutputFiles {
    private final List<Path> files = new ArrayList<>();
    private final List<Option> options = new ArrayList<>();
    private final List<Path> staged = new ArrayList<>(); // per file, null until created
    private final Arena arena = Arena.ofShared();
    private boolean closed;

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
                throw CliException.usage(option.flag() + " and " + options.get(i).flag() + " name the same file "
                        + file);
            }
        }
        files.add(file);
        options.add(option);
        staged.add(null);
    }

    /**
     * Stages the output added for {@code option}: a temporary file of that dtype and shape, mapped, whose values
     * the caller writes through the returned array before {@link #publish}.
     */
    NpyArray create(Option option, NpyArray.DType dtype, int... shape) throws CliException {
        int i = options.indexOf(option);
        if (i < 0 || staged.get(i) != null || closed) {
            throw new IllegalStateException(option.flag() + " was not added, or was already created");
        }
        Path file = files.get(i);
        Path tmp = null;
        try {
            tmp = Npy.temporaryName(file);
            NpyArray a = Npy.create(tmp, dtype, arena, shape);
            staged.set(i, tmp);
            return a;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            throw new CliException(CliException.FAILURE, "cannot write " + file + ": " + e);
        }
    }

    /** Unmaps the staged outputs (writing them out) and moves them all into place; on failure none stay. */
    void publish() throws CliException {
        unmap();
        int current = 0;
        int moved = 0;
        try {
            for (current = 0; current < files.size(); current++) {
                if (staged.get(current) == null) {
                    throw new IOException("never written");
                }
            }
            for (current = 0; current < files.size(); current++) {
                Npy.moveIntoPlace(staged.get(current), files.get(current));
                moved = current + 1;
            }
        } catch (IOException | RuntimeException e) {
            for (int i = 0; i < files.size(); i++) {
                deleteQuietly(i < moved ? files.get(i) : staged.get(i));
            }
            throw new CliException(CliException.FAILURE, "cannot write " + files.get(current) + ": " + e);
        } finally {
            staged.replaceAll(p -> null);
        }
    }

    /** Removes every staged output that was not published (nothing after a successful {@link #publish}). */
    void discard() {
        unmap();
        for (int i = 0; i < staged.size(); i++) {
            deleteQuietly(staged.get(i));
            staged.set(i, null);
        }
    }

    private void unmap() {
        if (!closed) {
            closed = true;
            arena.close(); // a shared mapping's pages are the file's: once unmapped, the files hold every value
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // Best effort: the error that made us clean up is the one reported.
        }
    }
}
