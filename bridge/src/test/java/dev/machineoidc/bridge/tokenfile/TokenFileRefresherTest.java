package dev.machineoidc.bridge.tokenfile;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.machineoidc.bridge.files.FileAccess;
import dev.machineoidc.bridge.identity.MachineKeys;
import dev.machineoidc.bridge.mint.MintException;
import dev.machineoidc.bridge.mint.MintException.Kind;
import dev.machineoidc.bridge.mint.TokenMinter;
import dev.machineoidc.bridge.mint.TokenRequest;
import dev.machineoidc.bridge.testing.Groups;
import dev.machineoidc.bridge.testing.LogCapture;
import dev.machineoidc.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileRefresherTest {

    private static final ECKey KEY = MachineKeys.generate();

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final FakeScheduler scheduler = new FakeScheduler();
    private final Deque<Object> answers = new ArrayDeque<>();
    private final List<TokenRequest> requests = new ArrayList<>();
    private final TokenMinter minter = request -> {
        requests.add(request);
        Object answer = answers.remove();
        if (answer instanceof MintException e) {
            throw e;
        }
        return (String) answer;
    };

    private static String token(long lifetimeSeconds) throws JOSEException {
        // iat far in the past: the delay must depend on exp - iat only, not on the local clock.
        Instant iat = Instant.parse("2020-01-01T00:00:00Z");
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), new JWTClaimsSet.Builder()
                .issueTime(Date.from(iat))
                .expirationTime(Date.from(iat.plusSeconds(lifetimeSeconds)))
                .build());
        jwt.sign(new ECDSASigner(KEY));
        return jwt.serialize();
    }

    private static MintException down() {
        return new MintException(Kind.UNAVAILABLE, "keycloak_unavailable", "down");
    }

    private TokenFileState state;

    private TokenFileRefresher refresher(Path file) {
        return refresher(file, FileAccess.OWNER_ONLY);
    }

    private TokenFileRefresher refresher(Path file, FileAccess access) {
        state = new TokenFileState(file, "sts.amazonaws.com", clock.instant());
        return new TokenFileRefresher(minter, state, access, scheduler, clock);
    }

    /** Virtual time passes until the task that is due next, which then runs. */
    private void runWhenDue() {
        clock.advance(scheduler.lastDelay());
        scheduler.runNext();
    }

    @Test
    void writesAtOnceThenEveryNineMinutesForTenMinuteTokens() throws Exception {
        Path file = dir.resolve("oidc_token");
        String first = token(600);
        String second = token(600);
        answers.add(first);
        answers.add(second);

        refresher(file).start();
        assertThat(scheduler.lastDelay(), equalTo(Duration.ZERO));

        scheduler.runNext();
        assertThat(Files.readString(file), equalTo(first));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), equalTo("rw-------"));
        assertThat(scheduler.lastDelay(), equalTo(Duration.ofMinutes(9)));

        scheduler.runNext();
        assertThat(Files.readString(file), equalTo(second));
        assertThat(requests, contains(TokenRequest.forAudience("sts.amazonaws.com"), TokenRequest.forAudience("sts.amazonaws.com")));
    }

    @Test
    void refreshesAtNinetyPercentOfAnyLifetime() throws Exception {
        answers.add(token(300));

        refresher(dir.resolve("t")).start();
        scheduler.runNext();

        assertThat(scheduler.lastDelay(), equalTo(Duration.ofSeconds(270)));
    }

    @Test
    void overTheRateLimitItWaitsAtLeastRetryAfterAndBacksOffLikeAnyFailure() throws Exception {
        answers.add(MintException.rateLimited("over the limit", 20));
        answers.add(MintException.rateLimited("over the limit", 1));
        answers.add(down());
        answers.add(MintException.rateLimited("over the limit", 1));
        answers.add(token(600));

        refresher(dir.resolve("t")).start();
        for (int i = 0; i < 5; i++) {
            scheduler.runNext();
        }

        assertThat("Retry-After when longer than the backoff, else the backoff",
                scheduler.delays.subList(1, scheduler.delays.size()).stream().map(Duration::toSeconds).toList(),
                contains(20L, 2L, 4L, 8L, 540L));
    }

    @Test
    void failuresBackOffAndASuccessResetsTheBackoff() throws Exception {
        Path file = dir.resolve("t");
        for (int i = 0; i < 7; i++) {
            answers.add(down());
        }
        answers.add(token(600));
        answers.add(down());

        refresher(file).start();
        for (int i = 0; i < 9; i++) {
            scheduler.runNext();
        }

        assertThat(scheduler.delays.subList(1, scheduler.delays.size()).stream().map(Duration::toSeconds).toList(),
                contains(1L, 2L, 4L, 8L, 16L, 30L, 30L, 540L, 1L));
    }

    @Test
    void aFailedRefreshKeepsThePreviousFile() throws Exception {
        Path file = dir.resolve("t");
        String good = token(600);
        answers.add(good);
        answers.add(down());

        refresher(file).start();
        scheduler.runNext();
        scheduler.runNext();

        assertThat(Files.readString(file), equalTo(good));
    }

    @Test
    void anAnswerThatIsNotAUsableJwtIsNotWritten() throws Exception {
        Path file = dir.resolve("t");
        answers.add("not.a-jwt.at-all");

        refresher(file).start();
        scheduler.runNext();

        assertThat(Files.exists(file), is(false));
        assertThat(scheduler.lastDelay(), equalTo(TokenFileRefresher.FIRST_RETRY));
    }

    @Test
    void theStateShowsTheWriteAndWhenTheNextRefreshIsDue() throws Exception {
        Path file = dir.resolve("oidc_token");
        answers.add(token(600));
        TokenFileRefresher refresher = refresher(file);
        Instant started = clock.instant();

        assertThat("before the first write, it is due since the start", state.snapshot().refreshDueAt(), equalTo(started));
        assertThat(state.snapshot().writtenAt(), equalTo(Optional.empty()));
        refresher.start();
        clock.advance(Duration.ofSeconds(2));
        scheduler.runNext();

        TokenFileState.Snapshot written = state.snapshot();
        assertThat(written.path(), equalTo(file));
        assertThat(written.audience(), equalTo("sts.amazonaws.com"));
        assertThat(written.writtenAt(), equalTo(Optional.of(started.plusSeconds(2))));
        assertThat(written.refreshDueAt(), equalTo(started.plusSeconds(2 + 540)));
        assertThat(written.nextAttemptAt(), equalTo(written.refreshDueAt()));
        assertThat(written.lastError(), equalTo(Optional.empty()));
        assertThat(written.failures(), equalTo(0L));
    }

    @Test
    void aFailureIsReportedWithoutMovingTheDueTimeAndASuccessClearsIt() throws Exception {
        Path file = dir.resolve("oidc_token");
        answers.add(token(600));
        answers.add(down());
        answers.add(down());
        answers.add(token(600));
        TokenFileRefresher refresher = refresher(file);
        refresher.start();
        scheduler.runNext();
        Instant due = state.snapshot().refreshDueAt();

        clock.advance(Duration.ofSeconds(540));
        scheduler.runNext();
        clock.advance(Duration.ofSeconds(1));
        scheduler.runNext();

        TokenFileState.Snapshot failing = state.snapshot();
        assertThat(failing.lastError(), equalTo(Optional.of("keycloak_unavailable: down")));
        assertThat(failing.failures(), equalTo(2L));
        assertThat("the due time stays, so the file shows as overdue", failing.refreshDueAt(), equalTo(due));
        assertThat("the next attempt is the backoff's", failing.nextAttemptAt(),
                equalTo(clock.instant().plus(Duration.ofSeconds(2))));

        clock.advance(Duration.ofSeconds(2));
        scheduler.runNext();
        TokenFileState.Snapshot recovered = state.snapshot();
        assertThat(recovered.lastError(), equalTo(Optional.empty()));
        assertThat(recovered.failures(), equalTo(2L));
        assertThat(recovered.writtenAt(), equalTo(Optional.of(clock.instant())));
        assertThat(recovered.refreshDueAt(), equalTo(clock.instant().plusSeconds(540)));
    }

    @Test
    void anUnwritableFileIsReportedByName() throws Exception {
        Path file = dir.resolve("not-a-dir").resolve("oidc_token");
        Files.writeString(dir.resolve("not-a-dir"), "a file where a directory should be");
        answers.add(token(600));

        refresher(file).start();
        scheduler.runNext();

        assertThat(state.snapshot().lastError().orElseThrow(), startsWith("cannot write the file: "));
        assertThat(state.snapshot().lastError().orElseThrow(), not(containsString("eyJ")));
        assertThat(state.snapshot().writtenAt(), equalTo(Optional.empty()));
    }

    @Test
    void theFileGetsItsModeAndGroupWhateverTheUmask() throws Exception {
        Path file = dir.resolve("shared_token");
        GroupPrincipal group = Groups.giveable();
        answers.add(token(600));

        refresher(file, new FileAccess(PosixFilePermissions.fromString("rw-r-----"), Optional.of(group))).start();
        scheduler.runNext();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), equalTo("rw-r-----"));
        assertThat(Files.readAttributes(file, PosixFileAttributes.class).group(), equalTo(group));
    }

    @Test
    void aFileWhoseRefreshKeepsFailingIsRemovedAtNinetyFivePercentOfItsTokensLife() throws Exception {
        Path file = dir.resolve("oidc_token");
        List<Boolean> fileExistedAtMint = new ArrayList<>();
        TokenMinter watching = request -> {
            fileExistedAtMint.add(Files.exists(file));
            return minter.mint(request);
        };
        answers.add(token(600));
        for (int i = 0; i < 6; i++) {
            answers.add(down());
        }
        String fresh = token(600);
        answers.add(fresh);
        state = new TokenFileState(file, "sts.amazonaws.com", clock.instant());
        Instant started = clock.instant();
        new TokenFileRefresher(watching, state, FileAccess.OWNER_ONLY, scheduler, clock).start();
        scheduler.runNext();

        for (int i = 0; i < 5; i++) {
            runWhenDue();
            assertThat("still within 95 % of the token's life", Files.exists(file), is(true));
        }
        assertThat("the retry is moved up to the removal: 540 + 1 + 2 + 4 + 8 + 15 s = 570 s",
                scheduler.delays.stream().map(Duration::toSeconds).toList(), contains(0L, 540L, 1L, 2L, 4L, 8L, 15L));
        runWhenDue();

        assertThat(Files.exists(file), is(false));
        assertThat(clock.instant(), equalTo(started.plusSeconds(570)));
        assertThat("removed before the mint was tried, not after it", fileExistedAtMint,
                contains(false, true, true, true, true, true, false));
        assertThat(state.snapshot().removedAt(), equalTo(Optional.of(started.plusSeconds(570))));
        assertThat(state.snapshot().lastError(), equalTo(Optional.of("keycloak_unavailable: down")));
        assertThat("after the removal, the backoff goes on as before", scheduler.lastDelay(), equalTo(Duration.ofSeconds(30)));

        runWhenDue();
        assertThat(Files.readString(file), equalTo(fresh));
        assertThat(state.snapshot().removedAt(), equalTo(Optional.empty()));
    }

    @Test
    void aFailingFileIsLoggedWhenItStartsFailingWhenItIsRemovedAndWhenItRecovers() throws Exception {
        Path file = dir.resolve("logged_token");
        answers.add(token(600));
        for (int i = 0; i < 8; i++) {
            answers.add(down());
        }
        answers.add(token(600));
        answers.add(down());
        answers.add(down());

        List<String> lines;
        try (LogCapture log = LogCapture.start()) {
            refresher(file).start();
            for (int i = 0; i < 12; i++) {
                runWhenDue();
            }
            lines = log.lines().stream().filter(line -> line.contains(file.toString())).toList();
        }

        assertThat(lines.stream().map(TokenFileRefresherTest::event).toList(), contains(
                "refreshed", "not refreshed", "removed", "refreshed again", "not refreshed"));
        assertThat(lines.get(1), containsString("keycloak_unavailable: down"));
        assertThat(lines.get(2), containsString("keycloak_unavailable: down"));
    }

    private static String event(String line) {
        for (String event : List.of("not refreshed", "removed", "refreshed again", "refreshed")) {
            if (line.contains(" " + event)) {
                return event;
            }
        }
        return line;
    }
}
