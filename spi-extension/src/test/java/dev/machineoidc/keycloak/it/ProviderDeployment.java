package dev.machineoidc.keycloak.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.JavaArchive;

import java.io.File;

/**
 * Container tests against the default server, with the provider jar exactly as Maven built it. The theme jar's
 * entries (system property {@code themes.jar}) are merged into it: Keycloak loads themes from any jar in
 * {@code providers/}, and one archive keeps every test class on the same deployment, so on one running server.
 */
public abstract class ProviderDeployment extends ContainerTestBase {

    @Deployment(testable = false)
    public static JavaArchive provider() {
        JavaArchive provider = ShrinkWrap.createFromZipFile(JavaArchive.class, new File(System.getProperty("provider.jar")));
        String themes = System.getProperty("themes.jar");
        if (themes != null) {
            JavaArchive themeJar = ShrinkWrap.createFromZipFile(JavaArchive.class, new File(themes));
            themeJar.delete("META-INF/MANIFEST.MF");
            provider.merge(themeJar);
        }
        return provider;
    }
}
