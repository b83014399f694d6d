package dev.machineoidc.bench.report;

/** The raw RS256 signing rate of this JVM with one JCA provider on a number of threads: what no mint path can beat. */
public record Ceiling(String provider, int threads, double signaturesPerSecond) {
}
