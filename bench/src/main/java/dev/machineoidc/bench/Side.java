package dev.machineoidc.bench;

import dev.machineoidc.bench.load.Target;

/** One way of getting a token that the benchmark compares, with what must be set before its windows. */
record Side(String name, Target target, Preparation prepare) {

    @FunctionalInterface
    interface Preparation {
        void run() throws Exception;
    }

    static Side of(String name, Target target) {
        return new Side(name, target, () -> { });
    }
}
