package dev.machineoidc.arquillian;

import java.lang.annotation.Annotation;

import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.test.impl.enricher.resource.OperatesOnDeploymentAwareProvider;
import org.jboss.arquillian.core.api.Instance;
import org.jboss.arquillian.core.api.annotation.Inject;
import org.jboss.arquillian.test.api.ArquillianResource;

/**
 * Injects {@link KeycloakServer} into {@code @ArquillianResource} fields and parameters; the base class picks
 * the container from {@code @OperateOnDeployment} when there are several. Looking it up launches the server
 * if no deployment has yet.
 */
public class KeycloakServerProvider extends OperatesOnDeploymentAwareProvider {

    @Inject
    private Instance<KeycloakServer> server;

    @Override
    public boolean canProvide(Class<?> type) {
        return KeycloakServer.class.isAssignableFrom(type);
    }

    @Override
    public Object doLookup(ArquillianResource resource, Annotation... qualifiers) {
        KeycloakServer keycloak = server.get();
        if (keycloak == null) {
            throw new IllegalStateException("No Keycloak container is active here: is a container of this adapter "
                    + "configured in arquillian.xml, and does the test use @Deployment or @OperateOnDeployment?");
        }
        try {
            keycloak.start();
        } catch (LifecycleException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return keycloak;
    }
}
