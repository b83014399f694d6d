package dev.machineoidc.arquillian;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jboss.arquillian.container.spi.ConfigurationException;
import org.jboss.arquillian.container.spi.client.container.ContainerConfiguration;

/**
 * The {@code <configuration>} of a {@code keycloak} container in arquillian.xml. {@code keycloakHome} is the
 * unpacked distribution, which is only read: each container runs from its own copy in {@code serverDir}.
 * Option lists ({@code buildOptions}, {@code spiOptions}, {@code runtimeOptions}, {@code jvmOptions}) are
 * separated by whitespace, so one option per line reads well in XML; a single option cannot contain spaces.
 */
public class KeycloakContainerConfiguration implements ContainerConfiguration {

    private String keycloakHome = System.getProperty("keycloak.home");
    private String serverDir;
    private int httpPort = 8180;
    private int managementPort = 9180;
    private String features = "";
    private String buildOptions = "";
    private String spiOptions = "";
    private String runtimeOptions = "";
    private String jvmOptions = "";
    private String adminUser = "admin";
    private String adminPassword = "admin";
    private int startupTimeoutSeconds = 240;
    private String logFile;
    private boolean cleanData = true;

    @Override
    public void validate() throws ConfigurationException {
        if (keycloakHome == null || keycloakHome.isBlank()) {
            throw new ConfigurationException("keycloakHome is not set: set it in arquillian.xml or pass the system "
                    + "property keycloak.home (the parent POM's failsafe configuration does, after the unpack-keycloak "
                    + "execution has unpacked the distribution)");
        }
        if (!Files.isRegularFile(Path.of(keycloakHome, "bin", "kc.sh"))) {
            throw new ConfigurationException("keycloakHome " + keycloakHome + " has no bin/kc.sh: is the Keycloak "
                    + "distribution unpacked there (maven-dependency-plugin execution unpack-keycloak)?");
        }
        requirePort("httpPort", httpPort);
        requirePort("managementPort", managementPort);
        if (httpPort == managementPort) {
            throw new ConfigurationException("httpPort and managementPort must differ, both are " + httpPort);
        }
        if (startupTimeoutSeconds <= 0) {
            throw new ConfigurationException("startupTimeoutSeconds must be positive, is " + startupTimeoutSeconds);
        }
        if (adminUser.isBlank() || adminPassword.isBlank()) {
            throw new ConfigurationException("adminUser and adminPassword must not be blank");
        }
    }

    private static void requirePort(String name, int port) {
        if (port < 1 || port > 65535) {
            throw new ConfigurationException(name + " must be between 1 and 65535, is " + port);
        }
    }

    /** Where this container's copy of the distribution runs: {@code serverDir}, else {@code <build>/keycloak-servers/<qualifier>}. */
    Path serverDir(String qualifier) {
        return orDefault(serverDir, Path.of("keycloak-servers", qualifier));
    }

    /** {@code logFile}, else {@code <project.build.directory>/keycloak-logs/<qualifier>.log}. */
    Path logFile(String qualifier) {
        return orDefault(logFile, Path.of("keycloak-logs", qualifier + ".log"));
    }

    private static Path orDefault(String configured, Path underBuildDirectory) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("project.build.directory", "target")).resolve(underBuildDirectory)
                .toAbsolutePath().normalize();
    }

    public String getKeycloakHome() {
        return keycloakHome;
    }

    public void setKeycloakHome(String keycloakHome) {
        this.keycloakHome = keycloakHome;
    }

    public String getServerDir() {
        return serverDir;
    }

    public void setServerDir(String serverDir) {
        this.serverDir = serverDir;
    }

    public int getHttpPort() {
        return httpPort;
    }

    public void setHttpPort(int httpPort) {
        this.httpPort = httpPort;
    }

    public int getManagementPort() {
        return managementPort;
    }

    public void setManagementPort(int managementPort) {
        this.managementPort = managementPort;
    }

    public String getFeatures() {
        return features;
    }

    public void setFeatures(String features) {
        this.features = features;
    }

    public String getBuildOptions() {
        return buildOptions;
    }

    public void setBuildOptions(String buildOptions) {
        this.buildOptions = buildOptions;
    }

    public String getSpiOptions() {
        return spiOptions;
    }

    public void setSpiOptions(String spiOptions) {
        this.spiOptions = spiOptions;
    }

    public String getRuntimeOptions() {
        return runtimeOptions;
    }

    public void setRuntimeOptions(String runtimeOptions) {
        this.runtimeOptions = runtimeOptions;
    }

    public String getJvmOptions() {
        return jvmOptions;
    }

    public void setJvmOptions(String jvmOptions) {
        this.jvmOptions = jvmOptions;
    }

    public String getAdminUser() {
        return adminUser;
    }

    public void setAdminUser(String adminUser) {
        this.adminUser = adminUser;
    }

    public String getAdminPassword() {
        return adminPassword;
    }

    public void setAdminPassword(String adminPassword) {
        this.adminPassword = adminPassword;
    }

    public int getStartupTimeoutSeconds() {
        return startupTimeoutSeconds;
    }

    public void setStartupTimeoutSeconds(int startupTimeoutSeconds) {
        this.startupTimeoutSeconds = startupTimeoutSeconds;
    }

    public String getLogFile() {
        return logFile;
    }

    public void setLogFile(String logFile) {
        this.logFile = logFile;
    }

    public boolean isCleanData() {
        return cleanData;
    }

    public void setCleanData(boolean cleanData) {
        this.cleanData = cleanData;
    }
}
