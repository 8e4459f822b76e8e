import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generates the MemorySegment kernels, one class per storage type, from one template each. The build runs it
 * (core/pom.xml, generate-sources) as a source program, so the generated classes exist only under
 * {@code core/target/generated-sources/kernels} and the template is the one copy kept in the repository:
 *
 * <pre>  java core/src/template/GenerateSegmentKernels.java TEMPLATE_DIR OUTPUT_DIR</pre>
 *
 * The template marks every load of a stored element:
 * <pre>
 *   FloatVector v = LOADV(seg, byteOffset);   a vector of float lanes, widened in registers
 *   LOADS(seg, byteOffset)                    one element, as a float
 * </pre>
 * and {@code @ES@}, the bytes per element; {@code @CLASS@} and {@code @STORAGE@} name the class and its type.
 *
 * <p>float16 is not generated: widening it in integer ops (about 12 ops a vector; this JDK's Vector API has no
 * float16 conversion) made the distillation loop exceed C2's inlining budget (9-18 KB of boxed vectors a call)
 * and ran soft CE at 0.35-0.62x of float32 on AVX2, while staging float16 through arrays uses the CPU's conversion
 * instructions (C2 vectorises {@code Float.float16ToFloat} loops).
 */
public final class GenerateSegmentKernels {

    private static final List<String> TEMPLATES = List.of("SegmentSoftCrossEntropy", "SegmentDistillation");

    private static final Pattern VECTOR_LOAD = Pattern.compile("^(\\s*)FloatVector (\\w+) = LOADV\\((\\w+), ([^;]+)\\);$");
    /** LOADS(segment, offset), the offset holding at most one level of parentheses. */
    private static final Pattern SCALAR_LOAD = Pattern.compile("LOADS\\((\\w+), ([^()]*(?:\\([^()]*\\)[^()]*)*)\\)");

    /** How one storage type loads: a vector statement and a scalar expression. */
    private interface Storage {
        String suffix();

        String name();

        int bytes();

        List<String> vectorLoad(String indent, String variable, String segment, String offset);

        String scalarLoad(String segment, String offset);
    }

    private record Float32() implements Storage {
        public String suffix() {
            return "F32";
        }

        public String name() {
            return "float32";
        }

        public int bytes() {
            return 4;
        }

        public List<String> vectorLoad(String ind, String v, String seg, String off) {
            return List.of(ind + "FloatVector " + v + " = FloatVector.fromMemorySegment(F, " + seg + ", " + off + ", NO);");
        }

        public String scalarLoad(String seg, String off) {
            return seg + ".get(ValueLayout.JAVA_FLOAT_UNALIGNED, " + off + ")";
        }
    }

    /** bfloat16 is the upper half of a float32: widen to int and shift. */
    private record BFloat16() implements Storage {
        public String suffix() {
            return "Bf16";
        }

        public String name() {
            return "bfloat16";
        }

        public int bytes() {
            return 2;
        }

        public List<String> vectorLoad(String ind, String v, String seg, String off) {
            return List.of(ind + "FloatVector " + v + " = ((IntVector) ShortVector.fromMemorySegment(SH, " + seg + ", "
                            + off + ", NO)",
                    ind + "        .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)",
                    ind + "        .reinterpretAsFloats();");
        }

        public String scalarLoad(String seg, String off) {
            return "HalfFloats.bfloat16ToFloat(" + seg + ".get(ValueLayout.JAVA_SHORT_UNALIGNED, " + off + "))";
        }
    }

    private GenerateSegmentKernels() {}

    public static void main(String[] args) throws IOException {
        Path[] dirs = GeneratedSources.directories(args, "GenerateSegmentKernels");
        Path templates = dirs[0];
        Path out = dirs[1].resolve("org/xent/internal/vector");
        for (String name : TEMPLATES) {
            String template = Files.readString(templates.resolve(name + ".java.template"));
            for (Storage storage : List.of(new Float32(), new BFloat16())) {
                String cls = name + storage.suffix();
                GeneratedSources.writeIfChanged(out.resolve(cls + ".java"), generate(template, cls, storage));
            }
        }
    }

    static String generate(String template, String cls, Storage storage) {
        List<String> lines = new ArrayList<>();
        String filled = template.replace("@CLASS@", cls).replace("@STORAGE@", storage.name())
                .replace("@ES@", Integer.toString(storage.bytes()));
        for (String line : filled.split("\n", -1)) {
            Matcher m = VECTOR_LOAD.matcher(line);
            if (m.matches()) {
                lines.addAll(storage.vectorLoad(m.group(1), m.group(2), m.group(3), m.group(4)));
                continue;
            }
            Matcher s = SCALAR_LOAD.matcher(line);
            StringBuilder sb = new StringBuilder();
            while (s.find()) {
                s.appendReplacement(sb, Matcher.quoteReplacement(storage.scalarLoad(s.group(1), s.group(2))));
            }
            s.appendTail(sb);
            lines.add(sb.toString());
        }
        String text = String.join("\n", lines);
        if (text.contains("LOADV") || text.contains("LOADS")) {
            throw new IllegalStateException(cls + ": a load the generator did not expand");
        }
        return text.endsWith("\n") ? text : text + "\n";
    }
}
