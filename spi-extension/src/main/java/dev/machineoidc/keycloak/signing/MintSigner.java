package dev.machineoidc.keycloak.signing;

import dev.machineoidc.keycloak.config.MachineOidcConfig;
import dev.machineoidc.keycloak.config.MachineOidcConfigProvider;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.crypto.SignatureException;
import org.keycloak.crypto.SignatureProvider;
import org.keycloak.crypto.SignatureSignerContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.util.Optional;

/**
 * The signer of a realm's machine tokens: its active RS256 key with AWS-LC when {@code native-signing} is on and ACCP
 * loaded, otherwise Keycloak's own RS256 signer (the JDK).
 */
public final class MintSigner {

    private static final Logger LOG = Logger.getLogger(MintSigner.class);

    /** Prefix of the key provider component's note that holds the key, by kid, in ACCP's own form. */
    static final String NATIVE_KEY_NOTE = "dev.machineoidc.native-rs256:";

    private MintSigner() {
    }

    public static SignatureSignerContext forRealm(KeycloakSession session, RealmModel realm) {
        KeyWrapper key = ActiveRs256Key.of(session, realm);
        if (session.getProvider(MachineOidcConfigProvider.class).config().nativeSigning()) {
            Optional<Provider> accp = NativeCrypto.provider();
            // Every Keycloak key provider is a realm component; the check only keeps a key from elsewhere on the JDK.
            ComponentModel component = realm.getComponent(key.getProviderId());
            if (accp.isPresent() && component != null) {
                return new Rs256Signer(key.getKid(), nativeKey(component, key, accp.get()), accp.get());
            }
        }
        // With the key already in hand: signer() would look it up again, in the session's context realm.
        return session.getProvider(SignatureProvider.class, Algorithm.RS256).signer(key);
    }

    /**
     * The key in ACCP's form, translated once and kept where Keycloak keeps the key itself: as a note on the key
     * provider's component, which lives as long as the realm's cache entry on each node and is replaced with it when
     * the component changes. No static or factory state, so every node of a cluster simply translates its own copy;
     * two requests racing to translate do the same work twice and store equal keys.
     */
    private static PrivateKey nativeKey(ComponentModel component, KeyWrapper key, Provider accp) {
        String note = NATIVE_KEY_NOTE + key.getKid();
        Object cached = component.getNote(note);
        if (cached instanceof PrivateKey translated) {
            return translated;
        }
        try {
            PrivateKey translated = (PrivateKey) KeyFactory.getInstance("RSA", accp).translateKey((PrivateKey) key.getPrivateKey());
            component.setNote(note, translated);
            return translated;
        } catch (GeneralSecurityException e) {
            throw new SignatureException("AWS-LC cannot take RS256 key " + key.getKid() + " of key provider '"
                    + component.getName() + "'; set " + MachineOidcConfig.NATIVE_SIGNING + "=false to sign with the JDK", e);
        }
    }

    /**
     * Says once per node, at boot, which RS256 signer mints use: whether ACCP's native library loads differs per
     * machine. Reads the option through a session of its own, as request code does, since the options are a provider.
     */
    public static void logChoice(KeycloakSessionFactory factory) {
        try (KeycloakSession session = factory.create()) {
            logChoice(session.getProvider(MachineOidcConfigProvider.class).config().nativeSigning());
        }
    }

    /** A warning when native signing is on but ACCP did not load. */
    private static void logChoice(boolean nativeSigning) {
        if (!nativeSigning) {
            LOG.infof("Machine OIDC mints sign RS256 with the JDK: %s is off", MachineOidcConfig.NATIVE_SIGNING);
            return;
        }
        Optional<String> unavailable = NativeCrypto.unavailableReason();
        if (unavailable.isPresent()) {
            LOG.warnf("Machine OIDC mints sign RS256 with the JDK: %s", unavailable.get());
        } else {
            LOG.infof("Machine OIDC mints sign RS256 with AWS-LC via ACCP %s", NativeCrypto.provider().orElseThrow().getVersionStr());
        }
    }
}
