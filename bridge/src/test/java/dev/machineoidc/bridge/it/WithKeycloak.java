package dev.machineoidc.bridge.it;

import dev.machineoidc.arquillian.KeycloakServer;
import java.io.File;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real Keycloak of arquillian.xml with the provider jar as Maven built it (system property
 * {@code provider.jar}). Every IT class deploys the same jar, so the server is launched once for the suite.
 */
@ExtendWith(ArquillianExtension.class)
abstract class WithKeycloak {

    @ArquillianResource
    KeycloakServer server;

    @Deployment(testable = false)
    static JavaArchive provider() {
        return ShrinkWrap.createFromZipFile(JavaArchive.class, new File(System.getProperty("provider.jar")));
    }
}
