package org.xent.bench.machine;

import java.util.List;

/**
 * The instruction-set classes {@code bench --isa} can ask for. Each but the widest is reached on a wider machine
 * with the HotSpot flags that restrict code generation, so a developer on an AVX-512 machine can measure the AVX2
 * code and one on AVX2 the 128-bit code. The flags change the instructions the JIT emits, not the core that runs
 * them: the ports, caches and clock of the machine stay its own.
 */
public enum Isa {
    /** 512-bit AVX-512 code: needs an AVX-512 CPU; there is no flag to widen code generation. */
    AVX512("avx512", 512, List.of(), "an x86 CPU with AVX-512"),
    /** 256-bit AVX2 code with FMA, as on an AVX2-only x86 CPU. */
    AVX2("avx2", 256, List.of("-XX:UseAVX=2"), "an x86 CPU with AVX2 and FMA"),
    /**
     * 128-bit vectors with FMA, the shape of a 128-bit NEON machine. {@code -XX:UseAVX=0} would also give 128-bit
     * vectors, but it turns FMA off too, which no NEON machine lacks.
     */
    V128("128", 128, List.of("-XX:MaxVectorSize=16"), "a CPU with FMA and vectors of at least 128 bits");

    private final String cliName;
    private final int bits;
    private final List<String> flags;
    private final String needs;

    Isa(String cliName, int bits, List<String> flags, String needs) {
        this.cliName = cliName;
        this.bits = bits;
        this.flags = flags;
        this.needs = needs;
    }

    /** The name {@code --isa} takes and results files record, e.g. {@code avx2}. */
    public String cliName() {
        return cliName;
    }

    /** The class's vector width in bits. */
    public int bits() {
        return bits;
    }

    /** The class for an {@code --isa} value, or null. */
    public static Isa parse(String value) {
        for (Isa isa : values()) {
            if (isa.cliName.equals(value)) {
                return isa;
            }
        }
        return null;
    }

    /** The {@code --isa} values, for messages: {@code avx512, avx2 or 128}. */
    public static String choices() {
        return AVX512.cliName + ", " + AVX2.cliName + " or " + V128.cliName;
    }

    /**
     * The ISA class of the code a JVM with these facts generates: {@code avx512}, {@code avx2}, {@code 128}, or
     * for other machines a name that says what they are (e.g. {@code x86-avx1-nofma}, {@code aarch64} for SVE
     * wider than 128 bits), so that they get classes of their own instead of sharing a baseline they do not fit.
     */
    public static String classify(JvmFacts f) {
        if (f.fma() && f.vectorBits() == 128) {
            return V128.cliName;
        }
        boolean x86 = f.arch().equals("x86");
        if (x86 && f.useAvx() >= 3) {
            return AVX512.cliName;
        }
        if (x86 && f.useAvx() == 2 && f.fma()) {
            return AVX2.cliName;
        }
        String base = x86 ? (f.useAvx() > 0 ? "x86-avx" + f.useAvx() : "x86-sse") : f.arch();
        return f.fma() ? base : base + "-nofma";
    }

    /**
     * The flags that make a JVM on {@code host} generate this class's code: none where that is already the host's
     * own class (native), the restricting flags where the host's class is wider (emulated); null where the host
     * cannot run it at all (see {@link #unsupportedMessage}).
     */
    public List<String> flagsOn(JvmFacts host) {
        if (!supportedBy(host)) {
            return null;
        }
        return classify(host).equals(cliName) ? List.of() : flags;
    }

    /** The one-line reason {@code host} cannot run this class's code, for {@code --isa}. */
    public String unsupportedMessage(JvmFacts host) {
        return "--isa " + cliName + " needs " + needs + "; this machine's JVM has " + host.describe()
                + " (class " + MachineClass.id(classify(host), host.vectorBits()) + ")";
    }

    private boolean supportedBy(JvmFacts host) {
        boolean x86 = host.arch().equals("x86");
        return switch (this) {
            case AVX512 -> x86 && host.useAvx() >= 3;
            case AVX2 -> x86 && host.useAvx() >= 2 && host.fma();
            case V128 -> host.fma() && host.vectorBits() >= 128;
        };
    }
}
