package org.xent;

/**
 * Run by {@link BadSettingsTest} in a JVM of its own, started with one bad {@code xent.*} property: calls a loss
 * three times and prints one line per call, {@code ok VALUE} or the exception's class and message.
 */
public final class SettingsProbe {
    private SettingsProbe() {}

    public static void main(String[] args) {
        for (int i = 0; i < 3; i++) {
            try {
                float loss = SoftCrossEntropy.create().forward(new float[] {1, 2, 3}, new float[] {0, 0, 1}, 1, 3);
                System.out.println("ok " + loss);
            } catch (Throwable t) {
                System.out.println(t.getClass().getName() + ": " + t.getMessage());
            }
        }
    }
}
