package dev.machineoidc.keycloak.token;

import dev.machineoidc.keycloak.machine.Machine;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Mint events through Keycloak's event pipeline, so every listener sees them. Keycloak's event types are a closed
 * enum; a mint is a token exchange (machine assertion in, org token out), marked by the {@code machine_oidc} detail.
 * One event per token, also when a batch mints several; but one per burst of refusals by the rate limit, so that a
 * machine hammering its limit cannot make the event pipeline do the work it is kept from.
 */
public final class MintAudit {

    // The details every event shares; each event is sent from a clone, so one token's details never reach another's.
    private final EventBuilder machineEvent;

    public MintAudit(KeycloakSession session, RealmModel realm, ClientModel client, Machine machine) {
        this.machineEvent = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.TOKEN_EXCHANGE)
                .detail("machine_oidc", "mint")
                .client(client)
                .detail("machine_id", machine.id())
                .detail("app", machine.appName());
    }

    public void success(MachineTokenMinter.Minted minted) {
        machineEvent.clone().detail("audience", minted.audience()).detail("token_id", minted.jti()).success();
    }

    public void failure(String error) {
        machineEvent.clone().error(error);
    }

    /** The first refusal of a burst: how many tokens this call was refused, and the seconds it was told to wait. */
    public void rateLimited(int refused, long retryAfterSeconds) {
        machineEvent.clone().detail("refused", Integer.toString(refused))
                .detail("retry_after", Long.toString(retryAfterSeconds)).error("rate_limited");
    }
}
