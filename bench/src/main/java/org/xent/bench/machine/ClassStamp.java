package org.xent.bench.machine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a {@link MachineClass} into JMH JSON text: the field {@value MachineClass#FIELD} becomes the first field
 * of every benchmark record. The rest of the text is left byte for byte as JMH wrote it, so the file is still a
 * JMH result file (tools that read JMH JSON skip a field they do not know), and one copied file is a whole
 * baseline.
 */
public final class ClassStamp {

    /** JMH indents the fields of a record by eight spaces. */
    private static final String FIELD_INDENT = "        ";

    private ClassStamp() {}

    /** Rewrites the JMH result file {@code file} in place with {@code machine} added (see {@link #stamp}). */
    public static void stampFile(Path file, MachineClass machine) throws IOException {
        Files.writeString(file, stamp(Files.readString(file, StandardCharsets.UTF_8), machine), StandardCharsets.UTF_8);
    }

    /**
     * {@code jmhJson} with {@code machine} added to each top-level record. The text must be a JSON array of
     * objects (what JMH writes); a record that already has the field gets a second one, so callers check first.
     */
    public static String stamp(String jmhJson, MachineClass machine) {
        String field = "\n" + FIELD_INDENT + "\"" + MachineClass.FIELD + "\" : " + machine.toJson(FIELD_INDENT);
        StringBuilder sb = new StringBuilder(jmhJson.length() + 256);
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < jmhJson.length(); i++) {
            char c = jmhJson.charAt(i);
            sb.append(c);
            if (inString) {
                if (c == '\\' && i + 1 < jmhJson.length()) {
                    sb.append(jmhJson.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> inString = true;
                case '[' -> depth++;
                case ']', '}' -> depth--;
                case '{' -> {
                    depth++;
                    if (depth == 2) {
                        // a record of the top-level array: the new field first, a comma if others follow
                        sb.append(field).append(emptyFrom(jmhJson, i + 1) ? "\n    " : ",");
                    }
                }
                default -> { }
            }
        }
        return sb.toString();
    }

    /** Whether the object whose '{' precedes {@code from} closes at once. */
    private static boolean emptyFrom(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i < text.length() && text.charAt(i) == '}';
    }
}
