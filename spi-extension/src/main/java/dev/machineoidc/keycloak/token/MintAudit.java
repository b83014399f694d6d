package dev.machineoidc.keycloak.token;

import dev.machineoidc.keycloak.machine.Machine;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Mint events through Keycloak's event pipeline, so every listener sees them. Keycloak's event types are a closed
 * enum; a mint is a token exchange (machine session in, org token out), marked by the {@code machine_oidc} detail.
 */
public final class MintAudit {

    private final EventBuilder event;

    public MintAudit(KeycloakSession session, RealmModel realm) {
        this.event = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.TOKEN_EXCHANGE)
                .detail("machine_oidc", "mint");
    }

    public MintAudit machine(ClientModel client, Machine machine) {
        event.client(client).detail("machine_id", machine.id()).detail("app", machine.appName());
        return this;
    }

    public void success(MachineTokenMinter.Minted minted) {
        event.detail("audience", minted.audience()).detail("token_id", minted.jti()).success();
    }

    public void failure(String error) {
        event.error(error);
    }
}
