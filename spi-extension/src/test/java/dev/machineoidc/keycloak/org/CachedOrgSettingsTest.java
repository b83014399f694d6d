package dev.machineoidc.keycloak.org;

import org.junit.jupiter.api.Test;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ui.extend.UiTabProvider;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;

/** The mint path's settings are read once per cached realm: its components, and the notes on them, are the cache entry's. */
class CachedOrgSettingsTest {

    /** Realm attributes: only the org marker, and the old settings attributes of an org without the component. */
    private final Map<String, String> attributes = new HashMap<>(Map.of(OrgSettings.ORG_MARKER, "true"));
    private final AtomicInteger settingsReads = new AtomicInteger();
    private List<ComponentModel> components = new ArrayList<>(List.of(
            component("rsa-generated"), settings("https://*.example.com", "5")));

    private static ComponentModel component(String id) {
        ComponentModel component = new ComponentModel();
        component.setId(id);
        component.setParentId("org-1");
        component.setProviderType("org.keycloak.keys.KeyProvider");
        return component;
    }

    /** The Machine identity tab's component, where the org's settings are stored. */
    private static ComponentModel settings(String audience, String rate) {
        ComponentModel component = component("settings");
        component.setProviderType(UiTabProvider.class.getName());
        component.setProviderId(SettingsComponent.PROVIDER_ID);
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        config.putSingle(OrgSettings.ALLOWED_AUDIENCES, audience);
        config.putSingle(OrgSettings.MINT_RATE_LIMIT, rate);
        component.setConfig(config);
        return component;
    }

    /** A realm as Keycloak's cache hands it out: attributes, and the components whose parent is the realm. */
    private RealmModel realm() {
        return (RealmModel) Proxy.newProxyInstance(RealmModel.class.getClassLoader(), new Class<?>[] {RealmModel.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getId" -> "org-1";
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "getComponentsStream" -> {
                        if (args.length == 2) {
                            settingsReads.incrementAndGet();
                        }
                        yield components.stream().filter(c -> c.getParentId().equals(args[0])
                                && (args.length == 1 || c.getProviderType().equals(args[1])));
                    }
                    default -> throw new UnsupportedOperationException(method.toString());
                });
    }

    @Test
    void theSettingsAreTheRealmsAsOrgSettingsReadsThem() {
        assertThat(CachedOrgSettings.of(realm()), equalTo(OrgSettings.of(realm())));
    }

    @Test
    void aCachedRealmsSettingsAreParsedOnceAndTheirPolicyIsTheSameCompiledOne() {
        OrgSettings first = CachedOrgSettings.of(realm());
        int reads = settingsReads.get();

        OrgSettings second = CachedOrgSettings.of(realm());

        assertThat(second, sameInstance(first));
        assertThat(second.audiencePolicy(), sameInstance(first.audiencePolicy()));
        assertThat("the settings component not looked up again", settingsReads.get(), is(reads));
        assertThat(second.audiencePolicy().allows("https://api.example.com"), is(true));
    }

    @Test
    void aNewCacheEntryAfterASettingsChangeIsReadAfresh() {
        OrgSettings before = CachedOrgSettings.of(realm());
        // What Keycloak does when a component of the realm is saved: the cached realm is dropped, and its successor
        // has new component objects, without notes.
        components = new ArrayList<>(List.of(component("rsa-generated"), settings("vault", "5")));

        OrgSettings after = CachedOrgSettings.of(realm());

        assertThat(after, not(equalTo(before)));
        assertThat(after.audiencePolicy().allows("vault"), is(true));
        assertThat(after.audiencePolicy().allows("https://api.example.com"), is(false));
    }

    /** Nothing to keep a note on: each read goes to the realm, here an upgraded org's old settings attributes. */
    @Test
    void withoutAComponentTheSettingsAreReadEachTime() {
        components = new ArrayList<>();
        attributes.put("machine-oidc.mint-rate-limit", "5");
        OrgSettings first = CachedOrgSettings.of(realm());
        attributes.put("machine-oidc.mint-rate-limit", "7");

        assertThat(first.mintRateLimit(), is(5.0));
        assertThat(CachedOrgSettings.of(realm()).mintRateLimit(), is(7.0));
    }
}
