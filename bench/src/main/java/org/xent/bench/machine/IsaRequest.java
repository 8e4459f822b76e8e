package org.xent.bench.machine;

import java.util.List;

/**
 * What {@code bench --isa} asked for on this host: the flags the benchmark JVMs get, and afterwards the check
 * that they really generate that class's code.
 *
 * @param requested the class asked for, or null for the host's own
 * @param host      the launching JVM's facts, which are the machine's own (the launcher passes no code
 *                  generation flags)
 * @param flags     the HotSpot flags for the benchmark JVMs: empty when the class is the host's own
 */
public record IsaRequest(Isa requested, JvmFacts host, List<String> flags) {

    /** Thrown when the machine cannot run the class asked for; the message is one line for the user. */
    public static final class UnsupportedIsaException extends Exception {
        private static final long serialVersionUID = 1L;

        UnsupportedIsaException(String message) {
            super(message);
        }
    }

    /** The request for {@code requested} (null: native) on {@code host}. */
    public static IsaRequest of(Isa requested, JvmFacts host) throws UnsupportedIsaException {
        if (requested == null) {
            return new IsaRequest(null, host, List.of());
        }
        List<String> flags = requested.flagsOn(host);
        if (flags == null) {
            throw new UnsupportedIsaException(requested.unsupportedMessage(host));
        }
        return new IsaRequest(requested, host, flags);
    }

    /**
     * The class of a run whose benchmark JVMs report {@code forks} (the probe's answer), on a CPU named
     * {@code cpu}; refuses when the JVMs did not end up in the class asked for (a JVM that ignored a flag).
     */
    public MachineClass machineClass(JvmFacts forks, String cpu) throws UnsupportedIsaException {
        String isa = Isa.classify(forks);
        if (requested != null && (!isa.equals(requested.cliName()) || forks.vectorBits() != requested.bits())) {
            throw new UnsupportedIsaException("--isa " + requested.cliName() + " was asked, but the benchmark JVMs"
                    + (flags.isEmpty() ? "" : " (with " + String.join(" ", flags) + ")") + " have "
                    + forks.describe() + ", class " + MachineClass.id(isa, forks.vectorBits()));
        }
        return new MachineClass(isa, forks.vectorBits(), !flags.isEmpty(), String.join(" ", flags), cpu);
    }

    /** The report header's line on the class, e.g. {@code avx2-256, emulated with -XX:UseAVX=2 on an avx512-512 machine}. */
    public String describe(MachineClass run) {
        if (!run.emulated()) {
            return run.id() + ", native";
        }
        return run.id() + ", " + run.how() + " on an " + MachineClass.id(Isa.classify(host), host.vectorBits())
                + " machine (the instructions of the class, the microarchitecture of this CPU)";
    }
}
