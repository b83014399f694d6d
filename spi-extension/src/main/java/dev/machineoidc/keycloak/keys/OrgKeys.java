package dev.machineoidc.keycloak.keys;

import org.keycloak.component.ComponentModel;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.KeyStatus;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.keys.Attributes;
import org.keycloak.keys.GeneratedRsaKeyProviderFactory;
import org.keycloak.keys.KeyProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * An org's RS256 signing keys and their rotation, realized with Keycloak's own key provider components: a next key is
 * an {@code rsa-generated} provider that is enabled but not active (Keycloak publishes passive keys and signs with
 * none), the active key is the active one (Keycloak's key manager and our {@code MintSigner} sign with the active key
 * of the highest priority), a previous key is passive again. The times the phases need are kept in the component's
 * config: stored in the database with the realm, exported with it, and read by every node of a cluster. Each phase
 * changes components, which invalidates the cached realm on every node and with it the keys each node keeps as
 * component notes, so the next mint on any node signs with the key the phase made active.
 */
public final class OrgKeys {

    static final String CREATED_AT = "machine-oidc.created-at";
    static final String ACTIVATE_AFTER = "machine-oidc.activate-after";
    static final String RETIRE_AFTER = "machine-oidc.retire-after";
    private static final String KEY_SIZE = "2048";
    private static final Comparator<RotationKey> LISTED = Comparator.comparing(RotationKey::state)
            .thenComparing(RotationKey::createdAt, Comparator.nullsLast(Comparator.reverseOrder()));

    private final KeycloakSession session;
    private final RealmModel realm;
    private final RotationRules rules;

    public OrgKeys(KeycloakSession session, RealmModel realm, RotationRules rules) {
        this.session = session;
        this.realm = realm;
        this.rules = rules;
    }

    /** Next, active and previous keys, in that order; newest first within a state. */
    public List<RotationKey> list() {
        return keyComponents()
                .flatMap(component -> ComponentKeys.load(session, component).orElse(List.of()).stream()
                        .filter(OrgKeys::isPublishedRs256SigningKey)
                        .map(key -> rotationKey(component, key)))
                .sorted(LISTED)
                .toList();
    }

    /** Adds a next key: published from this transaction's commit on, signing from {@link RotationRules#activateAfter}. */
    public RotationKey prepare(Instant now) {
        rules.checkPrepare(list());
        ComponentModel component = new ComponentModel();
        component.setName("machine-oidc-rotation-" + now.getEpochSecond());
        component.setProviderId(GeneratedRsaKeyProviderFactory.ID);
        component.setProviderType(KeyProvider.class.getName());
        component.setParentId(realm.getId());
        component.put(Attributes.PRIORITY_KEY, Long.toString(highestPriority(null) + 1));
        component.put(Attributes.ENABLED_KEY, "true");
        component.put(Attributes.ACTIVE_KEY, "false");
        component.put(Attributes.ALGORITHM_KEY, Algorithm.RS256);
        component.put(Attributes.KEY_SIZE_KEY, KEY_SIZE);
        component.put(CREATED_AT, Long.toString(now.getEpochSecond()));
        component.put(ACTIVATE_AFTER, Long.toString(rules.activateAfter(now).getEpochSecond()));
        // Keycloak's rsa-generated factory generates the key pair and certificate while validating the new component.
        String id = realm.addComponentModel(component).getId();
        return list().stream().filter(key -> key.componentId().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalStateException("Keycloak did not generate the key of component " + id));
    }

    /** Makes the next key the active one and every active key a previous one, with the time it may be retired. */
    public RotationKey activate(Instant now) {
        List<RotationKey> keys = list();
        RotationKey next = rules.checkActivate(keys, now);
        String retireAfter = Long.toString(rules.retireAfter(now).getEpochSecond());
        keys.stream().filter(key -> key.state() == KeyState.ACTIVE).forEach(key -> update(key, component -> {
            component.put(Attributes.ACTIVE_KEY, "false");
            component.put(RETIRE_AFTER, retireAfter);
        }));
        update(next, component -> {
            component.put(Attributes.ACTIVE_KEY, "true");
            component.put(Attributes.PRIORITY_KEY, Long.toString(highestPriority(next.componentId()) + 1));
            component.getConfig().remove(ACTIVATE_AFTER);
        });
        return next;
    }

    /** Removes the previous keys once no token they signed can be accepted; the removed keys. */
    public List<RotationKey> retire(Instant now) {
        List<RotationKey> retired = rules.checkRetire(list(), now);
        retired.forEach(key -> realm.removeComponent(realm.getComponent(key.componentId())));
        return retired;
    }

    private Stream<ComponentModel> keyComponents() {
        return realm.getComponentsStream(realm.getId(), KeyProvider.class.getName());
    }

    /** Whether a key of the realm is one of the org's signing keys in the JWKS: next, active or previous. */
    public static boolean isPublishedRs256SigningKey(KeyWrapper key) {
        return key.getStatus().isEnabled() && KeyUse.SIG.equals(key.getUse())
                && Algorithm.RS256.equals(key.getAlgorithmOrDefault()) && key.getPublicKey() != null;
    }

    private static RotationKey rotationKey(ComponentModel component, KeyWrapper key) {
        KeyState state = key.getStatus() == KeyStatus.ACTIVE ? KeyState.ACTIVE
                : component.contains(ACTIVATE_AFTER) ? KeyState.NEXT : KeyState.PREVIOUS;
        Instant createdAt = instant(component, CREATED_AT)
                .or(() -> Optional.ofNullable(key.getCertificate()).map(certificate -> certificate.getNotBefore().toInstant()))
                .orElse(null);
        return new RotationKey(component.getId(), key.getKid(), state, createdAt,
                state == KeyState.NEXT ? instant(component, ACTIVATE_AFTER).orElse(Instant.EPOCH) : null,
                state == KeyState.PREVIOUS ? instant(component, RETIRE_AFTER).orElse(null) : null);
    }

    private static Optional<Instant> instant(ComponentModel component, String key) {
        try {
            return Optional.ofNullable(component.get(key)).map(Long::parseLong).map(Instant::ofEpochSecond);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The highest priority among the realm's key providers, leaving out one component (null: none). */
    private long highestPriority(String except) {
        return keyComponents().filter(component -> !component.getId().equals(except))
                .mapToLong(component -> component.get(Attributes.PRIORITY_KEY, 0L))
                .max().orElse(0);
    }

    private void update(RotationKey key, Consumer<ComponentModel> change) {
        ComponentModel component = new ComponentModel(realm.getComponent(key.componentId()));
        change.accept(component);
        realm.updateComponent(component);
    }
}
