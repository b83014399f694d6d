package dev.machineoidc.keycloak.issuer;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.Urls;

/** Where an org's tokens say they come from, and where verifiers find its metadata and keys. */
public final class OrgIssuer {

    private final String issuer;
    private final boolean customBase;

    private OrgIssuer(String issuer, boolean customBase) {
        this.issuer = issuer;
        this.customBase = customBase;
    }

    public static OrgIssuer of(KeycloakSession session, RealmModel realm) {
        MachineOidcConfig config = session.getProvider(MachineOidcConfigProvider.class).config();
        return config.issuerBaseUrl()
                .map(base -> new OrgIssuer(base + "/" + realm.getName(), true))
                .orElseGet(() -> new OrgIssuer(
                        Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()), false));
    }

    public String issuer() {
        return issuer;
    }

    public boolean hasCustomBase() {
        return customBase;
    }

    /** Behind a custom base the proxy serves the keys Fly-style at {@code <iss>/.well-known/jwks}; otherwise Keycloak's certs. */
    public String jwksUri() {
        return customBase ? issuer + "/.well-known/jwks" : issuer + "/protocol/openid-connect/certs";
    }
}
