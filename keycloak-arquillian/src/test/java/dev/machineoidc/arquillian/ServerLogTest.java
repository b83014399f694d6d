package dev.machineoidc.arquillian;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerLogTest {

    @TempDir
    Path dir;

    @Test
    void findsAnErrorWhoseStackTraceNamesOurCode() throws IOException {
        Path log = Files.writeString(dir.resolve("k.log"), """
                ==== 2026-11-26T08:00:00Z /kc/bin/kc.sh start --optimized
                2026-11-26 08:36:18,037 WARN  [org.keycloak.common.Profile] (main) dev.machineoidc is experimental
                2026-11-26 08:36:19,000 ERROR [org.keycloak.services] (main) Failed to start provider
                java.lang.IllegalStateException: boom
                	at dev.machineoidc.keycloak.Foo.bar(Foo.java:1)
                2026-11-26 08:36:20,000 ERROR [org.keycloak.services] (main) Unrelated failure
                	at org.keycloak.Other.run(Other.java:1)
                2026-11-26 08:36:21,000 INFO  [io.quarkus] (main) started
                """);

        assertThat(ServerLog.errorsMentioning(log, "dev.machineoidc"),
                contains(startsWith("2026-11-26 08:36:19,000 ERROR [org.keycloak.services] (main) Failed to start")));
    }

    @Test
    void aCommandHeaderEndsTheEntryBeforeIt() throws IOException {
        Path log = Files.writeString(dir.resolve("k.log"), """
                2026-11-26 08:36:19,000 ERROR [org.keycloak.services] (main) Unrelated failure
                ==== 2026-11-26T08:00:00Z /kc/bin/kc.sh start -Dmark=dev.machineoidc
                """);

        assertThat(ServerLog.errorsMentioning(log, "dev.machineoidc"), empty());
    }

    @Test
    void startupErrorsAreThoseOfTheLastStartUntilItReportsStarted() throws IOException {
        Path log = Files.writeString(dir.resolve("k.log"), """
                ==== 2026-11-26T08:00:00Z /kc/bin/kc.sh start --optimized
                2026-11-26 08:00:01,000 ERROR [org.keycloak] (main) first start: dev.machineoidc failed
                2026-11-26 08:00:02,000 INFO  [io.quarkus] (main) Keycloak 26.7.3 on JVM (powered by Quarkus 3.33.3.1) started in 3.1s.
                ==== 2026-11-26T08:05:00Z /kc/bin/kc.sh start --optimized
                2026-11-26 08:05:01,000 ERROR [org.keycloak] (main) second start: dev.machineoidc failed
                2026-11-26 08:05:02,000 INFO  [io.quarkus] (main) Keycloak 26.7.3 on JVM (powered by Quarkus 3.33.3.1) started in 3.2s.
                2026-11-26 08:06:00,000 ERROR [org.keycloak] (executor-thread-1) during a test: dev.machineoidc failed
                """);

        assertThat(ServerLog.startupErrorsMentioning(log, "dev.machineoidc"),
                contains(startsWith("2026-11-26 08:05:01,000 ERROR [org.keycloak] (main) second start")));
        assertThat(ServerLog.errorsMentioning(log, "dev.machineoidc").size(), equalTo(3));
    }
}
