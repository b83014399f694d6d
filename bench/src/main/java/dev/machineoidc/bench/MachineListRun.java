package dev.machineoidc.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.machineoidc.bench.setup.AdminCalls;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code --machine-list}: the admin API's machines list of one app holding {@code --scale-machines} machines (beside a
 * neighbour app whose name starts with the app's, so the list must tell them apart), page by page, against Keycloak's
 * own client search over the same clients: the page an admin console would ask for at each depth. Warm is with the
 * realm cache holding the clients; cold is the first request after Keycloak's "Clear realm cache".
 */
final class MachineListRun {

    private static final String ORG = "list-org";
    private static final String APP = "fleet";
    private static final String NEIGHBOUR = "fleet-2";
    private static final int NEIGHBOUR_MACHINES = 100;
    private static final int PAGE = 100;
    private static final int CREATORS = 4;
    private static final int WARM_UPS = 5;
    private static final int WARM_SAMPLES = 30;
    private static final int COLD_SAMPLES = 5;

    /** One page shape, asked of our list and, where Keycloak has one, of its own client search. */
    private record Case(String name, String ours, String keycloak, int expected) {
    }

    private record Timing(double p50, double p95) {
        static Timing of(double[] millis) {
            Arrays.sort(millis);
            return new Timing(millis[millis.length / 2], millis[(int) Math.ceil(millis.length * 0.95) - 1]);
        }

        String format() {
            return String.format(Locale.ROOT, "%7.1f %7.1f", p50, p95);
        }
    }

    private final AdminCalls admin;
    private final int machines;
    private final PrintStream out;

    MachineListRun(AdminCalls admin, int machines, PrintStream out) {
        this.admin = admin;
        this.machines = machines;
        this.out = out;
    }

    void run(Path outDir) throws Exception {
        admin.createOrg(ORG);
        admin.createApp(ORG, APP);
        admin.createApp(ORG, NEIGHBOUR);
        long started = System.nanoTime();
        admin.createMachines(ORG, APP, "m-", machines, CREATORS);
        admin.createMachines(ORG, NEIGHBOUR, "m-", NEIGHBOUR_MACHINES, CREATORS);
        out.printf(Locale.ROOT, "machine list: %d + %d machines created in %.1f s%n", machines, NEIGHBOUR_MACHINES,
                (System.nanoTime() - started) / 1e9);

        String ours = "/admin/realms/" + ORG + "/machine-oidc/apps/" + APP + "/machines?max=" + PAGE;
        String theirs = "/admin/realms/" + ORG + "/clients?search=true&max=" + PAGE + "&clientId=";
        int middle = machines / 2 / PAGE * PAGE;
        int last = Math.max(0, (machines - 1) / PAGE * PAGE);
        // The hundred names of the last page: a narrow search at the far end of the list.
        String prefix = String.format(Locale.ROOT, "m-%05d", last).substring(0, 5);
        List<Case> cases = List.of(
                new Case("first page", ours, theirs + "machine:", Math.min(PAGE, machines)),
                new Case("middle page (first=" + middle + ")", ours + "&first=" + middle, theirs + "machine:&first=" + middle,
                        Math.min(PAGE, machines - middle)),
                new Case("last page (first=" + last + ")", ours + "&first=" + last, theirs + "machine:&first=" + last,
                        machines - last),
                new Case("name prefix " + prefix, ours + "&search=" + prefix, theirs + "machine:" + prefix, -1),
                new Case("apps with machine counts", "/admin/realms/" + ORG + "/machine-oidc/apps", null, 2));

        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Machines list of one app with %d machines (and %d in app %s), page of %d;"
                + " ms, p50 and p95 of %d warm requests, median of %d cold ones", machines, NEIGHBOUR_MACHINES, NEIGHBOUR,
                PAGE, WARM_SAMPLES, COLD_SAMPLES));
        lines.add(String.format(Locale.ROOT, "%-34s %15s %7s   %15s %7s", "case", "ours p50 p95", "cold",
                "keycloak p50 p95", "cold"));
        for (Case shape : cases) {
            check(shape);
            String keycloak = shape.keycloak() == null ? String.format(Locale.ROOT, "%15s %7s", "-", "-")
                    : warm(shape.keycloak()).format() + " " + String.format(Locale.ROOT, "%7.1f", cold(shape.keycloak()));
            lines.add(String.format(Locale.ROOT, "%-34s %s %7.1f   %s", shape.name(), warm(shape.ours()).format(),
                    cold(shape.ours()), keycloak));
        }
        lines.forEach(out::println);
        Files.write(outDir.resolve("machine-list.txt"), lines);
    }

    /** A figure for a wrong answer would mean nothing: each of our pages must hold what the case says. */
    private void check(Case shape) throws IOException, InterruptedException {
        JsonNode answer = admin.read(shape.ours());
        if (shape.expected() >= 0 && answer.size() != shape.expected()) {
            throw new IOException(shape.name() + ": " + answer.size() + " entries, expected " + shape.expected());
        }
        for (JsonNode entry : answer) {
            if (entry.has("app_name") && entry.has("machine_id") && !APP.equals(entry.path("app_name").asText())) {
                throw new IOException(shape.name() + ": a machine of another app in the list: " + entry);
            }
        }
    }

    private Timing warm(String path) throws IOException, InterruptedException {
        for (int i = 0; i < WARM_UPS; i++) {
            admin.read(path);
        }
        double[] millis = new double[WARM_SAMPLES];
        for (int i = 0; i < WARM_SAMPLES; i++) {
            millis[i] = timed(path);
        }
        return Timing.of(millis);
    }

    private double cold(String path) throws IOException, InterruptedException {
        double[] millis = new double[COLD_SAMPLES];
        for (int i = 0; i < COLD_SAMPLES; i++) {
            admin.clearRealmCache(ORG);
            millis[i] = timed(path);
        }
        return Timing.of(millis).p50();
    }

    private double timed(String path) throws IOException, InterruptedException {
        long started = System.nanoTime();
        admin.read(path);
        return (System.nanoTime() - started) / 1e6;
    }
}
