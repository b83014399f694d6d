package dev.machineoidc.keycloak.token;

import dev.machineoidc.keycloak.machine.Machine;
import dev.machineoidc.keycloak.machine.MachineRegistry;
import dev.machineoidc.keycloak.metrics.MintMetrics;
import dev.machineoidc.keycloak.org.CachedOrgSettings;
import dev.machineoidc.keycloak.org.OrgSettings;
import dev.machineoidc.keycloak.ratelimit.Gcra;
import dev.machineoidc.keycloak.ratelimit.MintRateLimiter;
import dev.machineoidc.keycloak.refusal.Refusal;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * Minting for one verified machine within one HTTP request: the machine and org lookups happen once, the call's
 * tokens are admitted through the org's rate limit once, then every item of the call's batch takes the same path:
 * mint, audit, count.
 */
public final class MachineMint {

    private final Machine machine;
    private final MintAudit audit;
    private final MintMetrics metrics;
    private final double rateLimit;
    private final MintRateLimiter limiter;
    private final MachineTokenMinter minter;

    public MachineMint(KeycloakSession session, RealmModel org, ClientModel client, MintMetrics metrics) {
        this.machine = MachineRegistry.toMachine(client);
        this.audit = new MintAudit(session, org, client, machine);
        this.metrics = metrics;
        this.rateLimit = CachedOrgSettings.of(org).mintRateLimit();
        this.limiter = new MintRateLimiter(session.singleUseObjects(), Clock.systemUTC());
        this.minter = audited(() -> new MachineTokenMinter(session, org));
    }

    /**
     * Takes a call's tokens from the machine's rate limit. The refused ones are counted here; the first refusal of a
     * burst is audited, later ones of the same burst are not.
     */
    public Gcra.Decision admit(int tokens) {
        Gcra.Decision decision = limiter.admit(machine.id(), rateLimit, tokens);
        if (decision.refused() > 0) {
            metrics.rateLimited(decision.refused());
            if (decision.burstStarts()) {
                audit.rateLimited(decision.refused(), decision.retryAfterSeconds());
            }
        }
        return decision;
    }

    /** The refusal of tokens over the limit, as a call refused whole answers it and a batch item carries it. */
    public Refusal overLimit(Gcra.Decision decision) {
        return Refusal.rateLimited("This machine is over its org's mint rate limit ("
                + OrgSettings.formatRate(rateLimit) + " per second); retry in " + decision.retryAfterSeconds()
                + " s.", decision.retryAfterSeconds());
    }

    /** @throws Refusal the refusal for this item (already audited and counted): 400 bad item, 403 audience not allowed */
    public MachineTokenMinter.Minted mint(MintBatch.Item item) {
        MachineTokenMinter.Minted minted = audited(() -> minter.mint(machine, item.request()));
        audit.success(minted);
        metrics.minted();
        return minted;
    }

    private <T> T audited(Supplier<T> step) {
        try {
            return step.get();
        } catch (Refusal e) {
            audit.failure(e.code());
            metrics.refused(e.code(), 1);
            throw e;
        }
    }
}
