package org.xent.bench.machine;

import java.util.Map;

/**
 * The machine class a results file was measured in, and how. Only {@link #id()}, the ISA class and the vector
 * width, decides which runs may be compared (a baseline applies to runs of its own class); whether the class
 * was native or emulated, the flags and the CPU model are recorded for the reader.
 *
 * <p>Results files carry it as the field {@value #FIELD} of every JMH benchmark record (see
 * {@link ClassStamp}), so that a file stays one JMH JSON array that JMH tools still read.
 *
 * @param isa        the ISA class, e.g. {@code avx2} (see {@link Isa#classify})
 * @param vectorBits the widest float vector the benchmark JVMs used
 * @param emulated   true when {@code jvmFlags} restricted a wider machine to this class
 * @param jvmFlags   the restricting HotSpot flags, "" when native
 * @param cpu        the CPU model, for information
 */
public record MachineClass(String isa, int vectorBits, boolean emulated, String jvmFlags, String cpu) {

    /** The name of the field added to each JMH benchmark record. */
    public static final String FIELD = "xentMachine";

    /** The class name, e.g. {@code avx2-256}: the ISA class and the vector width. */
    public String id() {
        return id(isa, vectorBits);
    }

    /** The class name of an ISA class at a vector width. */
    public static String id(String isa, int vectorBits) {
        return isa + "-" + vectorBits;
    }

    /** Float lanes in one vector. */
    public int floatLanes() {
        return vectorBits / Float.SIZE;
    }

    /** How the class was obtained, e.g. {@code native} or {@code emulated with -XX:UseAVX=2}. */
    public String how() {
        return emulated ? "emulated with " + jvmFlags : "native";
    }

    /**
     * Parses a class name such as {@code avx2-256} into a native record with an unknown CPU; throws
     * {@link IllegalArgumentException} when the name does not end in {@code -<bits>}.
     */
    public static MachineClass parseId(String id) {
        int dash = id.lastIndexOf('-');
        int bits;
        try {
            bits = dash > 0 ? Integer.parseInt(id.substring(dash + 1)) : -1;
        } catch (NumberFormatException e) {
            bits = -1;
        }
        if (bits <= 0 || bits % Float.SIZE != 0) {
            throw new IllegalArgumentException("a machine class is an ISA class and a vector width in bits, such as"
                    + " avx512-512, avx2-256 or 128-128; got '" + id + "'");
        }
        return new MachineClass(id.substring(0, dash), bits, false, "", "unknown");
    }

    /** The record as it is read back from a results file; throws {@link IllegalArgumentException} if malformed. */
    public static MachineClass fromJson(Object value) {
        if (!(value instanceof Map<?, ?> m) || !(m.get("class") instanceof String id)) {
            throw new IllegalArgumentException(FIELD + " is not an object with a \"class\" name");
        }
        MachineClass named = parseId(id);
        boolean emulated = Boolean.TRUE.equals(m.get("emulated"));
        return new MachineClass(named.isa, named.vectorBits, emulated, text(m.get("jvmFlags")), text(m.get("cpu")));
    }

    /** The JSON object written into each benchmark record, its lines indented by {@code indent}. */
    public String toJson(String indent) {
        String in = indent + "    ";
        return "{\n"
                + in + "\"class\" : " + quote(id()) + ",\n"
                + in + "\"isa\" : " + quote(isa) + ",\n"
                + in + "\"vectorBits\" : " + vectorBits + ",\n"
                + in + "\"floatLanes\" : " + floatLanes() + ",\n"
                + in + "\"emulated\" : " + emulated + ",\n"
                + in + "\"jvmFlags\" : " + quote(jvmFlags) + ",\n"
                + in + "\"cpu\" : " + quote(cpu) + "\n"
                + indent + "}";
    }

    private static String text(Object value) {
        return value instanceof String s ? s : "";
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
