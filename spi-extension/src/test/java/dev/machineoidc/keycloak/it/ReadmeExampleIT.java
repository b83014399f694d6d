package dev.machineoidc.keycloak.it;

import dev.machineoidc.arquillian.JsonResponse;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

/** Runs the admin API example of README.md (curl and kcadm.sh) against the real server, so the README stays true. */
class ReadmeExampleIT extends ProviderDeployment {

    private static final Pattern EXAMPLE = Pattern.compile("```bash readme-example\\n(.*?)```", Pattern.DOTALL);


    @Test
    void theReadmeAdminExampleWorks() throws Exception {
        Matcher block = EXAMPLE.matcher(Files.readString(Path.of("..", "README.md")));
        assertThat("README.md has a ```bash readme-example block", block.find(), is(true));
        Path work = Files.createTempDirectory(Path.of(System.getProperty("project.build.directory", "target")), "readme-");
        Path script = Files.writeString(work.resolve("example.sh"), "set -euo pipefail\n" + block.group(1));
        String keycloakUrl = keycloak.baseUrl();

        ProcessBuilder bash = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("output.txt").toFile());
        bash.environment().put("KEYCLOAK_URL", keycloakUrl);
        bash.environment().put("HOME", work.toString());
        bash.environment().put("PATH", Path.of(System.getProperty("keycloak.home"), "bin") + ":" + System.getenv("PATH"));
        Process process = bash.start();
        boolean finished = process.waitFor(180, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(work.resolve("output.txt"));
        assertThat(output, finished && process.exitValue() == 0, is(true));

        List<String> apps = new ArrayList<>();
        keycloak.http().get(keycloak.admin("example-org", "/machine-oidc/apps"), admin).json()
                .forEach(app -> apps.add(app.get("app_name").asText()));
        assertThat(apps, hasItems("example-app", "other-app"));
        JsonResponse workers = keycloak.http().get(keycloak.admin("example-org", "/machine-oidc/apps/other-app/machines"), admin);
        assertThat(workers.json().get(0).get("machine_name").asText(), is("worker-1"));
        assertThat(workers.json().get(0).get("region").asText(), is("ams"));
    }
}
