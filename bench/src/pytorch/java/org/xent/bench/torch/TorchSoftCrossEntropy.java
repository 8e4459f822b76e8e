package org.xent.bench.torch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.xent.bench.jmh.Inputs32;

/**
 * Soft-label cross-entropy in PyTorch, shared by the one-thread and the threaded benchmarks:
 * {@code -(log_softmax(x, 1) * y).sum()} forward, and the same with autograd for forward + gradient, on the
 * benchmark's inputs copied into tensors once.
 */
final class TorchSoftCrossEntropy {

    final NDManager manager;
    final NDArray[] logits;
    final NDArray[] targets;

    /** Tensors of every input set; call after the engine's thread counts are set. */
    TorchSoftCrossEntropy(Inputs32 in) {
        manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch");
        ai.djl.ndarray.types.Shape s = new ai.djl.ndarray.types.Shape(in.rows, in.classes);
        logits = new NDArray[in.logits.length];
        targets = new NDArray[in.logits.length];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = manager.create(in.logits[i], s);
            logits[i].setRequiresGradient(true);
            targets[i] = manager.create(in.targets[i], s);
        }
    }

    void close() {
        manager.close();
    }

    float forward(int s) {
        NDArray x = logits[s];
        NDArray y = targets[s];
        // every intermediate tensor lives in the scope and is freed with it; x and y go back to the manager
        try (NDManager scope = manager.newSubManager()) {
            x.tempAttach(scope);
            y.tempAttach(scope);
            return x.logSoftmax(1).mul(y).sum().neg().getFloat();
        }
    }

    float forwardBackward(int s) {
        NDArray x = logits[s];
        NDArray y = targets[s];
        try (NDManager scope = manager.newSubManager();
             GradientCollector autograd = Engine.getEngine("PyTorch").newGradientCollector()) {
            x.tempAttach(scope);
            y.tempAttach(scope);
            // no zeroGradients(): DJL's walks every array of the engine and cost about as much as the whole
            // step at 1024x1000; libtorch then accumulates into x.grad, one extra add per element
            NDArray loss = x.logSoftmax(1).mul(y).sum().neg();
            autograd.backward(loss);
            // one element of the gradient: the whole gradient was computed eagerly by backward
            return loss.getFloat() + x.getGradient().getFloat(0, 0);
        }
    }
}
