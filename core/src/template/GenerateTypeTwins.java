import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Generates the float32 and float64 twins of a kernel from one template, so that the algorithm is written once
 * and the two precisions cannot drift apart. The build runs it (core/pom.xml, generate-sources) as a source
 * program; the classes exist only under {@code core/target/generated-sources/kernels}:
 *
 * <pre>  java core/src/template/GenerateTypeTwins.java TEMPLATE_DIR OUTPUT_DIR</pre>
 *
 * Each {@code NAME.java.template} in TEMPLATE_DIR becomes {@code NAME.java} in the directory of its
 * {@code package} line. The lines between {@code // @twin} and {@code // @end} are written twice, first with
 * {@code $T$} replaced by {@code float}, then by {@code double}; everything else is copied as it is. A template
 * is written so that both readings are the intended code: literals such as {@code 0} or {@code 1} rather than
 * {@code 0f}, and a narrowing {@code ($T$) (expr)} that is a no-op for double.
 */
public final class GenerateTypeTwins {

    private static final String BEGIN = "// @twin";
    private static final String END = "// @end";
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");

    private GenerateTypeTwins() {}

    public static void main(String[] args) throws IOException {
        Path[] dirs = GeneratedSources.directories(args, "GenerateTypeTwins");
        List<Path> templates;
        try (Stream<Path> files = Files.list(dirs[0])) {
            templates = files.filter(p -> p.getFileName().toString().endsWith(".java.template")).sorted().toList();
        }
        for (Path template : templates) {
            String name = template.getFileName().toString().replace(".java.template", "");
            String source = Files.readString(template);
            Matcher pkg = PACKAGE.matcher(source);
            if (!pkg.find()) {
                throw new IllegalStateException(template + ": no package line");
            }
            Path dir = dirs[1].resolve(pkg.group(1).replace('.', '/'));
            GeneratedSources.writeIfChanged(dir.resolve(name + ".java"), generate(name, source));
        }
    }

    static String generate(String name, String template) {
        List<String> lines = new ArrayList<>();
        List<String> twin = null;
        for (String line : template.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.equals(BEGIN)) {
                if (twin != null) {
                    throw new IllegalStateException(name + ": " + BEGIN + " inside a twin block");
                }
                twin = new ArrayList<>();
            } else if (trimmed.equals(END)) {
                if (twin == null) {
                    throw new IllegalStateException(name + ": " + END + " without " + BEGIN);
                }
                for (String type : List.of("float", "double")) {
                    if (type.equals("double")) {
                        lines.add("");
                    }
                    for (String t : twin) {
                        lines.add(t.replace("$T$", type));
                    }
                }
                twin = null;
            } else if (twin != null) {
                twin.add(line);
            } else {
                if (line.contains("$T$")) {
                    throw new IllegalStateException(name + ": $T$ outside a twin block: " + trimmed);
                }
                lines.add(line);
            }
        }
        if (twin != null) {
            throw new IllegalStateException(name + ": " + BEGIN + " without " + END);
        }
        String text = String.join("\n", lines);
        return text.endsWith("\n") ? text : text + "\n";
    }
}
