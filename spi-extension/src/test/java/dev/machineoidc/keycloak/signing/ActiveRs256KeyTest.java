package dev.machineoidc.keycloak.signing;

import org.junit.jupiter.api.Test;
import org.keycloak.component.ComponentModel;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.KeyStatus;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.keys.KeyProvider;
import org.keycloak.keys.KeyProviderFactory;
import org.keycloak.models.KeyManager;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static dev.machineoidc.keycloak.signing.MintSignerTest.fake;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;

/** Picks the key Keycloak's own key manager would pick, instantiating each key provider once per cached component. */
class ActiveRs256KeyTest {

    private final Map<String, List<KeyWrapper>> keysByProvider = new HashMap<>();
    private final AtomicInteger instantiations = new AtomicInteger();
    private final List<ComponentModel> components = new ArrayList<>();
    private final KeyWrapper fallback = key("fallback", Algorithm.RS256, KeyUse.SIG, KeyStatus.ACTIVE);

    private static KeyWrapper key(String kid, String algorithm, KeyUse use, KeyStatus status) {
        KeyWrapper key = new KeyWrapper();
        key.setKid(kid);
        key.setAlgorithm(algorithm);
        key.setUse(use);
        key.setStatus(status);
        return key;
    }

    private void provider(String id, long priority, KeyWrapper... keys) {
        ComponentModel component = new ComponentModel();
        component.setId(id);
        component.setProviderId(id);
        component.put("priority", priority);
        components.add(component);
        keysByProvider.put(id, List.of(keys));
    }

    private RealmModel realm() {
        return fake(RealmModel.class, Map.of(
                "getId", args -> "realm-1",
                "getComponentsStream", args -> components.stream()));
    }

    private KeycloakSession session() {
        KeyProviderFactory<KeyProvider> factory = fake(KeyProviderFactory.class, Map.of("create", args -> {
            instantiations.incrementAndGet();
            String id = ((ComponentModel) args[1]).getProviderId();
            if (id.startsWith("broken")) {
                throw new IllegalStateException("cannot load " + id);
            }
            return fake(KeyProvider.class, Map.of(
                    "getKeysStream", none -> keysByProvider.get(id).stream(),
                    "close", none -> null));
        }));
        KeycloakSessionFactory sessionFactory = fake(KeycloakSessionFactory.class, Map.of("getProviderFactory", args -> factory));
        KeyManager keys = fake(KeyManager.class, Map.of("getActiveKey", args -> fallback));
        return fake(KeycloakSession.class, Map.of("getKeycloakSessionFactory", args -> sessionFactory, "keys", args -> keys));
    }

    @Test
    void theHighestPriorityProviderWithAnActiveRs256SigningKeyWins() {
        provider("rsa-enc", 300, key("enc", "RSA-OAEP", KeyUse.ENC, KeyStatus.ACTIVE));
        provider("hmac", 200, key("hs", Algorithm.HS512, KeyUse.SIG, KeyStatus.ACTIVE));
        provider("rsa-passive", 150, key("passive", Algorithm.RS256, KeyUse.SIG, KeyStatus.PASSIVE));
        provider("rsa-low", 50, key("low", Algorithm.RS256, KeyUse.SIG, KeyStatus.ACTIVE));
        provider("rsa-high", 100, key("high", Algorithm.RS256, KeyUse.SIG, KeyStatus.ACTIVE));

        assertThat(ActiveRs256Key.of(session(), realm()).getKid(), is("high"));
    }

    @Test
    void equalPrioritiesGoByComponentIdAsInKeycloak() {
        provider("rsa-b", 100, key("b", Algorithm.RS256, KeyUse.SIG, KeyStatus.ACTIVE));
        provider("rsa-a", 100, key("a", Algorithm.RS256, KeyUse.SIG, KeyStatus.ACTIVE));

        assertThat(ActiveRs256Key.of(session(), realm()).getKid(), is("a"));
    }

    @Test
    void eachProviderIsInstantiatedOnceWhileItsComponentIsCached() {
        provider("rsa", 100, key("k", Algorithm.RS256, KeyUse.SIG, KeyStatus.ACTIVE));
        KeycloakSession session = session();
        RealmModel realm = realm();

        KeyWrapper first = ActiveRs256Key.of(session, realm);
        KeyWrapper second = ActiveRs256Key.of(session, realm);

        assertThat(second, sameInstance(first));
        assertThat(instantiations.get(), is(1));
    }

    @Test
    void aProviderThatFailsToLoadIsSkippedAndTriedAgainNextTime() {
        provider("broken", 200, key("never", Algorithm.RS256, KeyUse.SIG, KeyStatus.ACTIVE));
        provider("rsa", 100, key("k", Algorithm.RS256, KeyUse.SIG, KeyStatus.ACTIVE));

        assertThat(ActiveRs256Key.of(session(), realm()).getKid(), is("k"));
        assertThat(ActiveRs256Key.of(session(), realm()).getKid(), is("k"));
        assertThat("the broken one twice, the good one once", instantiations.get(), is(3));
    }

    /** Key rotation's activate: the realm's cache entry, notes and all, is replaced by one with the changed components. */
    @Test
    void componentsReplacedByAnActivationSignWithTheNewKeyAtOnce() {
        provider("rsa-old", 100, key("old", Algorithm.RS256, KeyUse.SIG, KeyStatus.ACTIVE));
        provider("rsa-new", 101, key("new", Algorithm.RS256, KeyUse.SIG, KeyStatus.PASSIVE));
        KeycloakSession session = session();
        assertThat(ActiveRs256Key.of(session, realm()).getKid(), is("old"));

        components.clear();
        provider("rsa-old", 100, key("old", Algorithm.RS256, KeyUse.SIG, KeyStatus.PASSIVE));
        provider("rsa-new", 102, key("new", Algorithm.RS256, KeyUse.SIG, KeyStatus.ACTIVE));

        assertThat(ActiveRs256Key.of(session, realm()).getKid(), is("new"));
    }

    @Test
    void withoutAnyActiveRs256KeyKeycloaksManagerDecides() {
        provider("rsa-passive", 100, key("passive", Algorithm.RS256, KeyUse.SIG, KeyStatus.PASSIVE));

        assertThat(ActiveRs256Key.of(session(), realm()), sameInstance(fallback));
    }
}
