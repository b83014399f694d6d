package dev.machineoidc.arquillian;

import java.net.http.HttpClient;
import java.time.Duration;

import org.jboss.arquillian.container.spi.Container;
import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.ProtocolDescription;
import org.jboss.arquillian.container.spi.client.protocol.metadata.HTTPContext;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.arquillian.container.spi.context.annotation.ContainerScoped;
import org.jboss.arquillian.core.api.Instance;
import org.jboss.arquillian.core.api.InstanceProducer;
import org.jboss.arquillian.core.api.annotation.Inject;
import org.jboss.shrinkwrap.api.Archive;

/**
 * Arquillian's view of the Keycloak distribution. {@link #start()} only prepares; the server is launched by
 * the first deployment (or the first {@link KeycloakServer} lookup) and reused by every test class after it,
 * because a Keycloak build and start cost a minute on a small machine.
 */
public class KeycloakDeployableContainer implements DeployableContainer<KeycloakContainerConfiguration> {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    @Inject
    private Instance<Container> container;

    @Inject
    @ContainerScoped
    private InstanceProducer<KeycloakServer> server;

    private KeycloakContainerConfiguration config;
    private ManagedKeycloak keycloak;

    @Override
    public Class<KeycloakContainerConfiguration> getConfigurationClass() {
        return KeycloakContainerConfiguration.class;
    }

    @Override
    public void setup(KeycloakContainerConfiguration configuration) {
        config = configuration;
        // HTTP/1.1 only: the default would try an h2c upgrade on every plain-http request.
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
        keycloak = new ManagedKeycloak(container.get().getName(), configuration, http);
        server.set(new KeycloakServer(keycloak, configuration, http));
    }

    @Override
    public void start() throws LifecycleException {
        keycloak.prepare();
    }

    @Override
    public void stop() throws LifecycleException {
        keycloak.stop();
    }

    /** Tests run as clients ({@code @Deployment(testable = false)}); nothing is injected into the server. */
    @Override
    public ProtocolDescription getDefaultProtocol() {
        return new ProtocolDescription("Local");
    }

    @Override
    public ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
        try {
            keycloak.deploy(archive);
        } catch (LifecycleException e) {
            throw new DeploymentException("Keycloak did not start with " + archive.getName() + ": " + e.getMessage(), e);
        }
        return new ProtocolMetaData().addContext(new HTTPContext("127.0.0.1", config.getHttpPort()));
    }

    @Override
    public void undeploy(Archive<?> archive) {
        keycloak.undeploy(archive.getName());
    }
}
