package dev.machineoidc.keycloak.issuer;

import dev.machineoidc.keycloak.config.MachineOidcConfig;
import dev.machineoidc.keycloak.config.MachineOidcConfigProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.Urls;

import java.net.URI;
import java.util.regex.Pattern;

/** Where an org's tokens say they come from, and where verifiers find its metadata and keys. */
public final class OrgIssuer {

    private static final Pattern PLAIN_NAME = Pattern.compile("[a-z0-9-]{1,63}");

    private final String issuer;
    private final boolean customBase;

    private OrgIssuer(String issuer, boolean customBase) {
        this.issuer = issuer;
        this.customBase = customBase;
    }

    public static OrgIssuer of(KeycloakSession session, RealmModel realm) {
        return named(session, realm.getName());
    }

    /** The issuer of the org of this name, also before the org exists. */
    public static OrgIssuer named(KeycloakSession session, String orgName) {
        MachineOidcConfig config = session.getProvider(MachineOidcConfigProvider.class).config();
        return config.issuerBaseUrl()
                .map(base -> new OrgIssuer(base + "/" + orgName, true))
                .orElseGet(() -> new OrgIssuer(realmIssuer(session.getContext().getUri().getBaseUri(), orgName), false));
    }

    /**
     * Keycloak's own realm issuer ({@code Urls.realmIssuer}); for a name that needs no escaping, such as every name the
     * admin API gives an org, without the URI template engine, which a profile showed as a tenth of a mint's own work.
     */
    static String realmIssuer(URI baseUri, String realmName) {
        if (!PLAIN_NAME.matcher(realmName).matches()) {
            return Urls.realmIssuer(baseUri, realmName);
        }
        String base = baseUri.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/realms/" + realmName;
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
