package dev.machineoidc.keycloak.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.JavaArchive;

import java.io.File;

/** Container tests against the default server, with the provider jar exactly as Maven built it. */
public abstract class ProviderDeployment extends ContainerTest {

    @Deployment(testable = false)
    public static JavaArchive provider() {
        return ShrinkWrap.createFromZipFile(JavaArchive.class, new File(System.getProperty("provider.jar")));
    }
}
