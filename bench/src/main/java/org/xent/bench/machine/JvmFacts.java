package org.xent.bench.machine;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one JVM's compiler generates vector code for: the facts an {@link Isa} class is decided from. They are
 * read from the JVM itself (HotSpot's effective flags and the Vector API's preferred shape) rather than from the
 * CPU's feature list, because the JVM may use less than the CPU has (the {@code -XX:UseAVX} and
 * {@code -XX:MaxVectorSize} flags that {@code --isa} passes, or HotSpot's own choices).
 *
 * @param arch       {@code x86}, {@code aarch64}, or the {@code os.arch} of anything else
 * @param useAvx     HotSpot's {@code UseAVX} (0 to 3) on x86, -1 elsewhere or when the JVM does not say
 * @param fma        whether the compiler emits fused multiply-adds ({@code UseFMA})
 * @param vectorBits the widest vector the JVM's compiler uses for floats, 0 when it has no vector support
 */
public record JvmFacts(String arch, int useAvx, boolean fma, int vectorBits) {

    /** This JVM's facts. */
    public static JvmFacts current() {
        String arch = normalisedArch(System.getProperty("os.arch", "unknown"));
        int useAvx = arch.equals("x86") ? intFlag("UseAVX", -1) : -1;
        boolean fma = Boolean.parseBoolean(flag("UseFMA", "false"));
        return new JvmFacts(arch, useAvx, fma, preferredVectorBits());
    }

    /** The facts as {@code key=value} lines, the way {@code BackendProbe} hands them to the launching JVM. */
    public Map<String, String> toProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("arch", arch);
        p.put("useAvx", Integer.toString(useAvx));
        p.put("fma", Boolean.toString(fma));
        p.put("vectorBits", Integer.toString(vectorBits));
        return p;
    }

    /** Reads {@link #toProperties()} back; throws {@link IllegalArgumentException} naming a missing or bad key. */
    public static JvmFacts fromProperties(Map<String, String> p) {
        return new JvmFacts(required(p, "arch"), integer(p, "useAvx"), Boolean.parseBoolean(required(p, "fma")),
                integer(p, "vectorBits"));
    }

    /** One phrase for messages, e.g. {@code x86 with UseAVX=2, FMA, 256-bit vectors}. */
    public String describe() {
        return arch + (useAvx >= 0 ? " with UseAVX=" + useAvx : "") + (fma ? ", FMA" : ", no FMA") + ", "
                + (vectorBits > 0 ? vectorBits + "-bit vectors" : "no vector support");
    }

    static String normalisedArch(String osArch) {
        String a = osArch.toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64", "x86-64" -> "x86";
            case "arm64" -> "aarch64";
            default -> a;
        };
    }

    private static int preferredVectorBits() {
        try {
            return jdk.incubator.vector.VectorShape.preferredShape().vectorBitSize();
        } catch (LinkageError e) {
            // no incubator module in this JVM: C2's cap on vector size says the same for floats
            return 8 * intFlag("MaxVectorSize", 0);
        }
    }

    private static int intFlag(String name, int absent) {
        try {
            return Integer.parseInt(flag(name, Integer.toString(absent)));
        } catch (NumberFormatException e) {
            return absent;
        }
    }

    /** A HotSpot flag's value, or {@code absent} where the flag does not exist (another CPU, another JVM). */
    private static String flag(String name, String absent) {
        try {
            return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
        } catch (IllegalArgumentException | LinkageError | SecurityException e) {
            return absent;
        }
    }

    private static String required(Map<String, String> p, String key) {
        String v = p.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("no '" + key + "' in the JVM's answer " + p);
        }
        return v;
    }

    private static int integer(Map<String, String> p, String key) {
        try {
            return Integer.parseInt(required(p, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + key + "' is not a number in the JVM's answer " + p);
        }
    }
}
