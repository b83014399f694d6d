package dev.machineoidc.keycloak.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.JavaArchive;

import java.io.File;

/** The provider jar exactly as Maven built it, deployed into the real Keycloak by the Arquillian adapter. */
public abstract class ProviderDeployment {

    @Deployment(testable = false)
    public static JavaArchive provider() {
        return ShrinkWrap.createFromZipFile(JavaArchive.class, new File(System.getProperty("provider.jar")));
    }
}
