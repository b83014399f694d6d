package dev.machineoidc.keycloak.org;

import org.junit.jupiter.api.Test;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;

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

    private final Map<String, String> attributes = new HashMap<>(Map.of(
            OrgSettings.ORG_MARKER, "true",
            OrgSettings.ALLOWED_AUDIENCES, "[\"https://*.example.com\"]",
            OrgSettings.MINT_RATE_LIMIT, "5"));
    private final AtomicInteger attributeReads = new AtomicInteger();
    private List<ComponentModel> components = new ArrayList<>(List.of(component("rsa-generated")));

    private static ComponentModel component(String id) {
        ComponentModel component = new ComponentModel();
        component.setId(id);
        component.setParentId("org-1");
        return component;
    }

    /** A realm as Keycloak's cache hands it out: attributes, and the components whose parent is the realm. */
    private RealmModel realm() {
        return (RealmModel) Proxy.newProxyInstance(RealmModel.class.getClassLoader(), new Class<?>[] {RealmModel.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getId" -> "org-1";
                    case "getAttribute" -> {
                        attributeReads.incrementAndGet();
                        yield attributes.get((String) args[0]);
                    }
                    case "getComponentsStream" -> components.stream().filter(c -> c.getParentId().equals(args[0]));
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
        int reads = attributeReads.get();

        OrgSettings second = CachedOrgSettings.of(realm());

        assertThat(second, sameInstance(first));
        assertThat(second.audiencePolicy(), sameInstance(first.audiencePolicy()));
        assertThat("no attribute read again", attributeReads.get(), is(reads));
        assertThat(second.audiencePolicy().allows("https://api.example.com"), is(true));
    }

    @Test
    void aNewCacheEntryAfterASettingsChangeIsReadAfresh() {
        OrgSettings before = CachedOrgSettings.of(realm());
        attributes.put(OrgSettings.ALLOWED_AUDIENCES, "[\"vault\"]");
        // What Keycloak does on a realm attribute change: the cached realm is dropped, its successor has new components.
        components = new ArrayList<>(List.of(component("rsa-generated")));

        OrgSettings after = CachedOrgSettings.of(realm());

        assertThat(after, not(equalTo(before)));
        assertThat(after.audiencePolicy().allows("vault"), is(true));
        assertThat(after.audiencePolicy().allows("https://api.example.com"), is(false));
    }

    @Test
    void withoutAComponentTheSettingsAreReadEachTime() {
        components = new ArrayList<>();
        OrgSettings first = CachedOrgSettings.of(realm());
        attributes.put(OrgSettings.MINT_RATE_LIMIT, "7");

        assertThat(first.mintRateLimit(), is(5.0));
        assertThat(CachedOrgSettings.of(realm()).mintRateLimit(), is(7.0));
    }
}
