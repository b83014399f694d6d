package dev.machineoidc.arquillian;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.arquillian.test.spi.enricher.resource.ResourceProvider;

/** Registers the Keycloak container adapter and the {@link KeycloakServer} injection with Arquillian. */
public class KeycloakExtension implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        builder.service(DeployableContainer.class, KeycloakDeployableContainer.class)
                .service(ResourceProvider.class, KeycloakServerProvider.class);
    }
}
