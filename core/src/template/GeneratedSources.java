import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the kernel generators share: their two arguments and how they write a class. The generators are launched
 * as source programs ({@code java core/src/template/GenerateX.java ...}), which compiles this file beside them.
 */
final class GeneratedSources {

    private GeneratedSources() {}

    /** The template directory and the output root from {@code args}; exits with a usage line otherwise. */
    static Path[] directories(String[] args, String program) {
        if (args.length != 2) {
            System.err.println("usage: java " + program + ".java TEMPLATE_DIR OUTPUT_DIR");
            System.exit(2);
        }
        return new Path[] {Path.of(args[0]), Path.of(args[1])};
    }

    /** Writes {@code text} unless the file already holds it, so that an unchanged class is not recompiled. */
    static void writeIfChanged(Path target, String text) throws IOException {
        Files.createDirectories(target.getParent());
        if (!Files.exists(target) || !Files.readString(target).equals(text)) {
            Files.writeString(target, text);
        }
    }
}
