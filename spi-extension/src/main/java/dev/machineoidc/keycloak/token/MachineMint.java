package dev.machineoidc.keycloak.token;

import dev.machineoidc.keycloak.api.ApiError;
import dev.machineoidc.keycloak.machine.Machine;
import dev.machineoidc.keycloak.machine.MachineRegistry;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.function.Supplier;

/**
 * Minting for one verified machine within one HTTP request: the machine and org lookups happen once, then every
 * mint request body — the single endpoint's one or each item of a batch — takes the same path: parse, mint, audit.
 */
public final class MachineMint {

    private final Machine machine;
    private final MintAudit audit;
    private final MachineTokenMinter minter;

    public MachineMint(KeycloakSession session, RealmModel org, ClientModel client) {
        this.machine = MachineRegistry.toMachine(client);
        this.audit = new MintAudit(session, org, client, machine);
        this.minter = audited(() -> new MachineTokenMinter(session, org));
    }

    /** @throws ApiError the refusal for this body (already audited): 400 bad body, 403 audience not allowed */
    public MachineTokenMinter.Minted mint(String body) {
        MachineTokenMinter.Minted minted = audited(() -> minter.mint(machine, MintRequest.parse(body)));
        audit.success(minted);
        return minted;
    }

    private <T> T audited(Supplier<T> step) {
        try {
            return step.get();
        } catch (ApiError e) {
            audit.failure(e.code());
            throw e;
        }
    }
}
