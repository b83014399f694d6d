package dev.machineoidc.keycloak.token;

import dev.machineoidc.keycloak.metrics.MintMetrics;
import dev.machineoidc.keycloak.ratelimit.Gcra;
import dev.machineoidc.keycloak.refusal.Refusal;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One call to the batch mint endpoint (docs/bridge-protocol.md §4): authenticate the machine, admit the call's tokens
 * through the org's rate limit, mint, and time it. A call refused whole by the rate limit is answered with that
 * refusal, not thrown: throwing would roll back the request's transaction and with it the limiter's note that a burst
 * of refusals has begun, and every refusal of the burst would then be audited.
 */
public final class MintCall {

    /** What the call answers: the batch's results, or the rate limit's refusal of the whole call. */
    public sealed interface Answer {
    }

    /** @param json {@code {"results":[...]}}, see {@link MintBatch#mint} */
    public record Results(String json) implements Answer {
    }

    /** The rate limit admitted none of the call's tokens. */
    public record OverLimit(Refusal refusal) implements Answer {
    }

    private final KeycloakSession session;
    private final RealmModel org;
    private final MintMetrics metrics;
    private final Function<String, ClientModel> authenticate;

    /** @param authenticate the machine named and proven by the call's Authorization header, or a Refusal */
    public MintCall(KeycloakSession session, RealmModel org, MintMetrics metrics, Function<String, ClientModel> authenticate) {
        this.session = session;
        this.org = org;
        this.metrics = metrics;
        this.authenticate = authenticate;
    }

    /** §4: several tokens; those over the rate limit are refused item by item, or the whole call when none fits. */
    public Answer batch(String authorization, String body) {
        return timed(() -> {
            MachineMint mint = machineMint(authorization);
            MintBatch batch = refusedWhole(() -> MintBatch.parse(body));
            metrics.batch(batch.size());
            Gcra.Decision decision = mint.admit(batch.size());
            if (decision.granted() == 0) {
                return new OverLimit(mint.overLimit(decision));
            }
            return new Results(batch.mintToJson(new AdmittedMints(mint, decision)));
        });
    }

    private MachineMint machineMint(String authorization) {
        ClientModel client = refusedWhole(() -> authenticate.apply(authorization));
        return new MachineMint(session, org, client, metrics);
    }

    /** A failure before any token is asked for (no machine, a malformed batch) counts as one refused mint. */
    private <T> T refusedWhole(Supplier<T> step) {
        try {
            return step.get();
        } catch (Refusal e) {
            metrics.refused(e.code(), 1);
            throw e;
        }
    }

    private Answer timed(Supplier<Answer> call) {
        long started = System.nanoTime();
        try {
            return call.get();
        } finally {
            metrics.call(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** The first {@code granted} requests of a batch are minted, in order; the rest get the rate limit's refusal. */
    private static final class AdmittedMints implements Function<MintBatch.Item, MachineTokenMinter.Minted> {

        private final MachineMint mint;
        private final Gcra.Decision decision;
        private int left;

        AdmittedMints(MachineMint mint, Gcra.Decision decision) {
            this.mint = mint;
            this.decision = decision;
            this.left = decision.granted();
        }

        @Override
        public MachineTokenMinter.Minted apply(MintBatch.Item item) {
            if (left == 0) {
                throw mint.overLimit(decision);
            }
            left--;
            return mint.mint(item);
        }
    }
}
