package dev.machineoidc.keycloak.it;

import dev.machineoidc.arquillian.KeycloakServer;
import dev.machineoidc.keycloak.it.support.Http;
import dev.machineoidc.keycloak.it.support.Keycloak;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A container test: the real server it runs against, a client for it, and a master admin token. Jupiter tests get the
 * server through Arquillian's extension; jqwik properties through {@code @AddLifecycleHook(ArquillianLifecycle.class)}.
 */
@ExtendWith(ArquillianExtension.class)
public abstract class ContainerTestBase {

    @ArquillianResource
    protected KeycloakServer server;

    protected Keycloak keycloak;
    protected Http http;
    protected String admin;

    @BeforeEach
    @BeforeProperty
    void connect() throws Exception {
        keycloak = new Keycloak(server.baseUrl().toString());
        http = keycloak.http();
        admin = server.adminAccessToken();
    }
}
