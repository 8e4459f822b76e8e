package org.xent.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The example end to end, briefly: its loss falls, it follows the float64 twin of its loop, and it gives the same
 * bits on one thread and on two. The data and batches are the example's own sizes, so every loss call is over the
 * 128k logits from which xent splits a batch over threads.
 */
class DistillationTrainingTest {
    private static final int EPOCHS = 4;
    private static final long SEED = 10;
    private static final double RELATIVE_TOLERANCE = 1e-4;

    private static DistillationTraining.Data data;
    private static Run oneThread;
    private static Run twoThreads;
    private static List<Float64Twin.Epoch> reference;

    /** A float32 run's figures and final parameters. */
    private record Run(List<EpochStats> history, float[] weights, float[] bias) {
    }

    @BeforeAll
    static void train() {
        data = DistillationTraining.data(SEED, DistillationTraining.TRAIN_ROWS, DistillationTraining.HELD_OUT_ROWS);
        oneThread = run(1);
        twoThreads = run(2);
        reference = Float64Twin.train(data.train(), data.heldOut(), TrainingConfig.defaults(), EPOCHS);
    }

    private static Run run(int threads) {
        TrainingConfig config = TrainingConfig.defaults();
        try (Trainer trainer = new Trainer(data.train(), data.heldOut(), config, threads,
                new XentObjective(config.alpha(), config.temperature(), threads))) {
            List<EpochStats> history = trainer.train(EPOCHS, null);
            return new Run(history, trainer.model().weights().clone(), trainer.model().bias().clone());
        }
    }

    @Test
    void theObjectiveFalls() {
        List<EpochStats> h = twoThreads.history();
        double first = h.getFirst().trainingObjective();
        double last = h.getLast().trainingObjective();
        assertTrue(last < 0.9 * first, "objective " + first + " -> " + last);
        for (int i = 1; i < h.size(); i++) {
            assertTrue(h.get(i).trainingObjective() < h.get(i - 1).trainingObjective(), "epoch " + (i + 1) + ": " + h);
        }
        assertTrue(h.getLast().heldOutLoss() < h.getFirst().heldOutLoss(), h.toString());
        // better than the 1 / C of the zero start by far: the student learnt the classes, not just the prior
        assertTrue(h.getLast().heldOutAccuracy() > 10.0 / data.heldOut().classes(), h.toString());
    }

    @Test
    void followsTheFloat64LoopToFloat32Rounding() {
        List<EpochStats> h = twoThreads.history();
        assertEquals(reference.size(), h.size());
        StringBuilder report = new StringBuilder("float32 (xent) vs float64 (reference), relative difference:");
        double worst = 0;
        for (int i = 0; i < h.size(); i++) {
            double objective = relative(h.get(i).trainingObjective(), reference.get(i).trainingObjective());
            double heldOut = relative(h.get(i).heldOutLoss(), reference.get(i).heldOutLoss());
            report.append(String.format(Locale.ROOT, "%n  epoch %d: objective %.2e, held-out CE %.2e", i + 1,
                    objective, heldOut));
            worst = Math.max(worst, Math.max(objective, heldOut));
            // a prediction flips only where two logits tie to float32 rounding: a handful of rows at most
            assertEquals(reference.get(i).heldOutAccuracy(), h.get(i).heldOutAccuracy(), 4.0 / data.heldOut().rows(),
                    "accuracy, epoch " + (i + 1));
        }
        System.out.println(report);
        assertTrue(worst <= RELATIVE_TOLERANCE, report.toString());
    }

    @Test
    void sameBitsOnOneThreadAndTwo() {
        for (int i = 0; i < EPOCHS; i++) {
            EpochStats a = oneThread.history().get(i);
            EpochStats b = twoThreads.history().get(i);
            assertEquals(Double.doubleToRawLongBits(a.trainingObjective()),
                    Double.doubleToRawLongBits(b.trainingObjective()), "objective, epoch " + (i + 1));
            assertEquals(Double.doubleToRawLongBits(a.heldOutLoss()), Double.doubleToRawLongBits(b.heldOutLoss()),
                    "held-out loss, epoch " + (i + 1));
        }
        assertArrayEquals(oneThread.weights(), twoThreads.weights()); // Float.equals: bit for bit
        assertArrayEquals(oneThread.bias(), twoThreads.bias());
    }

    @Test
    void commandLinePrintsEachEpochAndWritesTheCurve(@TempDir Path dir) throws Exception {
        Path svg = dir.resolve("curves").resolve("loss.svg"); // a folder that does not exist yet
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DistillationTraining.run(new String[] {"--epochs", "2", "--threads", "2", "--svg", svg.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, printed + err.toString(StandardCharsets.UTF_8));
        assertEquals(2, printed.lines().filter(l -> l.startsWith("epoch")).count(), printed);
        assertTrue(printed.contains("loss curve: " + svg.toAbsolutePath().normalize()), printed);

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        assertEquals("svg", doc.getDocumentElement().getTagName());
        NodeList lines = doc.getElementsByTagName("polyline");
        assertEquals(2, lines.getLength(), "one curve for the objective, one for the held-out loss");
        for (int i = 0; i < lines.getLength(); i++) {
            String points = ((Element) lines.item(i)).getAttribute("points");
            assertEquals(2, points.trim().split(" ").length, points);
        }
    }

    @Test
    void badArgumentsAreRejected() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(2, DistillationTraining.run(new String[] {"--epochs", "0"}, sink, errors));
        assertEquals(2, DistillationTraining.run(new String[] {"--threads"}, sink, errors));
        assertEquals(2, DistillationTraining.run(new String[] {"--frobnicate"}, sink, errors));
        assertEquals(3, err.toString(StandardCharsets.UTF_8).lines().count(), err.toString(StandardCharsets.UTF_8));
    }

    private static double relative(double actual, double expected) {
        return Math.abs(actual - expected) / Math.abs(expected);
    }
}
