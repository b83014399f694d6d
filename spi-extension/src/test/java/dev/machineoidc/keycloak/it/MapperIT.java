package dev.machineoidc.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.machineoidc.arquillian.JsonResponse;
import dev.machineoidc.keycloak.it.support.TestMachine;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/** The Machine-claims mapper as admins see it: listed with its form, configurable, validated, and obeyed. */
class MapperIT extends ProviderDeployment {

    private static final String MAPPER_ID = "oidc-machine-claims-mapper";

    @Test
    void theMapperTypeIsListedWithItsForm() {
        JsonNode types = http.get(keycloak.baseUrl() + "/admin/serverinfo", admin).json()
                .get("protocolMapperTypes").get("openid-connect");
        JsonNode mapper = StreamSupport.stream(types.spliterator(), false)
                .filter(t -> MAPPER_ID.equals(t.get("id").asText())).findFirst().orElseThrow();

        assertThat(mapper.get("name").asText(), is("Machine claims"));
        assertThat(mapper.get("category").asText(), is("Token mapper"));
        assertThat(mapper.get("helpText").asText().isBlank(), is(false));
        List<String> properties = new ArrayList<>();
        mapper.get("properties").forEach(p -> properties.add(p.get("name").asText()));
        assertThat(properties, hasItems("machine.claims", "aws.principal.tags", "access.token.claim"));
        JsonNode claims = StreamSupport.stream(mapper.get("properties").spliterator(), false)
                .filter(p -> "machine.claims".equals(p.get("name").asText())).findFirst().orElseThrow();
        assertThat(claims.get("type").asText(), is("MultivaluedList"));
        assertThat(claims.get("options").size(), is(10));
    }

    @Test
    void aConfigChangeShowsInTheNextTokenAndBadConfigIsRefused() {
        String org = "mapper-" + UUID.randomUUID().toString().substring(0, 8);
        TestMachine machine = keycloak.provision(admin, org, "app", "m").enroll().signAssertion();
        assertThat(TestMachine.claims(machine.mint("{}")).containsKey("region"), is(true));

        JsonNode scope = StreamSupport.stream(http.get(keycloak.admin(org, "/client-scopes"), admin).json().spliterator(), false)
                .filter(s -> "machine-claims".equals(s.get("name").asText())).findFirst().orElseThrow();
        String models = keycloak.admin(org, "/client-scopes/" + scope.get("id").asText() + "/protocol-mappers/models");
        JsonNode model = StreamSupport.stream(http.get(models, admin).json().spliterator(), false)
                .filter(m -> MAPPER_ID.equals(m.get("protocolMapper").asText())).findFirst().orElseThrow();
        assertThat(model.get("config").get("machine.claims").asText(), notNullValue());

        ObjectNode bad = model.deepCopy();
        ((ObjectNode) bad.get("config")).put("machine.claims", "org_id##shoe_size");
        JsonResponse refused = http.json("PUT", models + "/" + model.get("id").asText(), admin, bad.toString());
        assertThat(refused.body(), refused.status(), is(400));

        ObjectNode changed = model.deepCopy();
        ((ObjectNode) changed.get("config")).put("machine.claims", "org_id##org_name##app_name##machine_name##machine_id");
        ((ObjectNode) changed.get("config")).put("aws.principal.tags", "always");
        JsonResponse saved = http.json("PUT", models + "/" + model.get("id").asText(), admin, changed.toString());
        assertThat(saved.body(), saved.status(), is(204));

        Map<String, Object> claims = TestMachine.claims(machine.mint("{}"));
        assertThat(claims.keySet(), not(hasItems("region")));
        assertThat(claims.keySet(), not(hasItems("image")));
        assertThat(claims.keySet(), hasItems("sub", "org_id", "machine_id", "https://aws.amazon.com/tags"));
    }
}
