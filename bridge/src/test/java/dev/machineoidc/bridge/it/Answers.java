package dev.machineoidc.bridge.it;

import dev.machineoidc.bridge.it.MintLoad.Answer;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;

/** Some of a {@link MintLoad}'s answers, by the time their requests were sent (monotonic nanoseconds). */
record Answers(List<Answer> list) {

    Answers {
        list = list.stream().sorted(Comparator.comparingLong(Answer::startNanos)).toList();
    }

    /** Sent at or after {@code from} and before {@code to}. */
    Answers sentBetween(long from, long to) {
        return where(answer -> answer.startNanos() >= from && answer.startNanos() < to);
    }

    Answers sentFrom(long from) {
        return sentBetween(from, Long.MAX_VALUE);
    }

    /** Sent before {@code moment} and answered after it. */
    Answers inFlightAt(long moment) {
        return where(answer -> answer.startNanos() < moment && answer.endNanos() > moment);
    }

    Answers failed() {
        return where(answer -> !answer.ok());
    }

    Answers where(Predicate<Answer> condition) {
        return new Answers(list.stream().filter(condition).toList());
    }

    int size() {
        return list.size();
    }

    long count(int status) {
        return list.stream().filter(answer -> answer.status() == status).count();
    }

    /** How long after {@code since} the first request sent at or after it was answered 200. */
    Optional<Duration> firstSuccessAfter(long since) {
        OptionalLong end = sentFrom(since).list.stream().filter(Answer::ok).mapToLong(Answer::endNanos).min();
        return end.isPresent() ? Optional.of(Duration.ofNanos(end.getAsLong() - since)) : Optional.empty();
    }

    /** When the last failure among these was answered, relative to {@code since}; negative when before it. */
    Optional<Duration> lastFailureAfter(long since) {
        OptionalLong end = failed().list.stream().mapToLong(Answer::endNanos).max();
        return end.isPresent() ? Optional.of(Duration.ofNanos(end.getAsLong() - since)) : Optional.empty();
    }

    /** The longest time between two 200 answers (by when they were answered) among these. */
    Duration longestWithoutSuccess() {
        long[] ends = list.stream().filter(Answer::ok).mapToLong(Answer::endNanos).sorted().toArray();
        long longest = 0;
        for (int i = 1; i < ends.length; i++) {
            longest = Math.max(longest, ends[i] - ends[i - 1]);
        }
        return Duration.ofNanos(longest);
    }

    Duration slowestFailure() {
        return failed().list.stream().map(Answer::took).max(Comparator.naturalOrder()).orElse(Duration.ZERO);
    }

    @Override
    public String toString() {
        return size() + " answers, " + count(200) + " of them 200; failures: "
                + failed().list.stream().limit(10).map(answer -> answer.status() + " " + answer.error() + " after "
                + answer.took().toMillis() + " ms").toList();
    }
}
