package org.xent.internal.vector;

/**
 * One form of {@link FloatExp}'s exp: a table of T = 2^bits entries 2^(j/T), a Cody-Waite reduction to
 * |r| <= ln2 / (2T) and a short minimax polynomial for e^r - 1, sized to the vector width so that the table
 * lookup is a single one-vector lane permute at every width (the table has as many entries as a vector has lanes,
 * at most 16). Holds the constants and the scalar evaluation; the vector evaluation, in {@link FloatExp} and
 * written out in the hottest kernels, follows the same steps with this JVM's form.
 *
 * <p>Why per width, measured on one AVX-512 machine with its vectors narrowed by HotSpot's code-generation
 * flags (soft-label cross-entropy forward, 1024x1000 in cache, alternating JMH forks):
 * <ul>
 *   <li>16 lanes: the 16-entry table with a cubic is the fastest form measured (7 fma/mul ops a vector; it
 *       replaced a degree-7 polynomial for +10-20 %);</li>
 *   <li>8 lanes: that 16-entry table needs a two-vector permute, which AVX2 has no single instruction for:
 *       the soft-label forward ran 1.22-1.48x faster (median per shape, 3 rounds) with the 8-entry form, which
 *       keeps the cubic (the reduced range is twice as wide, so the polynomial error grows to 2.6e-8, under
 *       a quarter ulp); a degree-5 and a degree-6 polynomial without a table measured within noise of it, and
 *       the table needs fewer fma-port operations, the resource AVX2 cores have least of;</li>
 *   <li>4 lanes (128-bit: NEON, SSE): a 4-entry table, one permute of one register (a single table lookup on
 *       NEON too), with a quartic for the four-times wider range.</li>
 * </ul>
 *
 * @param bits            log2 of the table size
 * @param log2eT          T / ln 2 as a float
 * @param ln2Hi           (ln 2) / T, high part: few significant bits, so that k * ln2Hi is exact
 * @param ln2Lo           (ln 2) / T - ln2Hi
 * @param q2              e^r - 1 ~ r (1 + r (q2 + r (q3 + r q4)))
 * @param q3              see q2
 * @param q4              see q2; 0 for the cubic forms, whose evaluation skips it
 * @param maxRelativeError the bound {@code FloatExpTest} asserts over every float in [LOWEST, 0]
 */
record FloatExpTable(int bits, float log2eT, float ln2Hi, float ln2Lo, float q2, float q3, float q4,
                     double maxRelativeError) {

    /** Measured worst relative error over all 1,118,743,632 floats in [-87.33654, 0]: 6.25e-8 (0.57 ulp). */
    static final FloatExpTable T16 = new FloatExpTable(4, 23.08312f, 0.693359375f / 16, -2.12194440e-4f / 16,
            0.5000162124633789f, 0.16666601598262787f, 0f, 6.5e-8);
    /** Measured worst relative error over the same floats: 8.84e-8 (0.74 ulp of 1), at z = -0.64982647. */
    static final FloatExpTable T8 = new FloatExpTable(3, 11.54156f, 0.693359375f / 8, -2.12194440e-4f / 8,
            0.500064492225647f, 0.1666685789823532f, 0f, 9.0e-8);
    /** Measured worst relative error over the same floats: 7.14e-8 (0.60 ulp of 1), at z = -1.2992214. */
    static final FloatExpTable T4 = new FloatExpTable(2, 5.770780f, 0.693359375f / 4, -2.12194440e-4f / 4,
            0.5000001788139343f, 0.16672103106975555f, 0.04164176061749458f, 7.5e-8);

    static final float MAGIC = 12582912f; // 1.5 * 2^23: adding it rounds to an integer in the low bits
    /** Mask of the exponent field after shifting k's bits into place. */
    static final int EXPONENT_MASK = 0xFF800000;

    /** The form whose table fills a vector of {@code lanes} float lanes exactly (replicated above 16 lanes). */
    static FloatExpTable forLanes(int lanes) {
        return lanes >= 16 ? T16 : lanes == 8 ? T8 : T4;
    }

    int size() {
        return 1 << bits;
    }

    boolean quartic() {
        return q4 != 0f;
    }

    /** How far k's bits are shifted so that n = k >> bits lands in the exponent field. */
    int scaleShift() {
        return 23 - bits;
    }

    /** Float bits of T_j = 2^(j/T) rounded to float, j = 0 .. T-1. */
    int[] powBits() {
        int[] pow = new int[size()];
        for (int j = 0; j < pow.length; j++) {
            pow[j] = Float.floatToRawIntBits((float) Math.pow(2, j / (double) size()));
        }
        return pow;
    }

    /** Float bits of c_j = (2^(j/T) - T_j) / T_j, the table's relative rounding errors. */
    int[] corrBits() {
        int[] corr = new int[size()];
        for (int j = 0; j < corr.length; j++) {
            double exact = Math.pow(2, j / (double) size());
            float t = (float) exact;
            corr[j] = Float.floatToRawIntBits((float) ((exact - t) / t));
        }
        return corr;
    }

    /**
     * e^z for one float, by the same steps as the lanes (z <= 0 or NaN; the clamp keeps NaN). Kernel tails use it
     * through {@link FloatExp#expNonPositive(float)}, so that a row's last elements match its lanes bit for bit.
     */
    float exp(float z, int[] pow, int[] corr) {
        float zc = z < FloatExp.FLOOR ? FloatExp.FLOOR : z;
        float t = Math.fma(zc, log2eT, MAGIC);
        float kf = t - MAGIC;
        float r = Math.fma(kf, -ln2Hi, zc);
        r = Math.fma(kf, -ln2Lo, r);
        float q = quartic() ? Math.fma(Math.fma(r, q4, q3), r, q2) : Math.fma(r, q3, q2);
        q = Math.fma(q, r, 1f);
        int k = Float.floatToRawIntBits(t);
        int j = k & (size() - 1);
        float u = Math.fma(q, r, Float.intBitsToFloat(corr[j]));
        float scale = Float.intBitsToFloat(((k << scaleShift()) & EXPONENT_MASK) + pow[j]);
        return Math.fma(u, scale, scale);
    }
}
