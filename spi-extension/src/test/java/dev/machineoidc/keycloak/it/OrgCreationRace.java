package dev.machineoidc.keycloak.it;

import dev.machineoidc.arquillian.JsonResponse;
import dev.machineoidc.arquillian.KeycloakServer;
import dev.machineoidc.keycloak.it.support.Keycloak;
import dev.machineoidc.keycloak.it.support.TestMachine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.machineoidc.keycloak.it.MintIT.assertError;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Several admins creating the same new org at the same instant, round after round, through one node or spread over
 * several: each round exactly one 201 and a 409 in the API's error shape for every other caller, and afterwards one
 * complete org (its settings on every node, a machine that enrolls and mints) with nothing half-created beside it.
 */
final class OrgCreationRace {

    /** One node of the server and the master admin who calls it. */
    record Caller(Keycloak node, KeycloakServer server) {

        String admin() {
            try {
                return server.adminAccessToken();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static final Duration ANSWER_DEADLINE = Duration.ofSeconds(90);

    private final List<Caller> callers;
    private final int racers;

    OrgCreationRace(List<Caller> callers, int racers) {
        this.callers = callers;
        this.racers = racers;
    }

    /** Runs the rounds and answers one line per round for the report. */
    List<String> run(int rounds) throws Exception {
        List<String> report = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            for (int round = 0; round < rounds; round++) {
                report.add("round " + round + ": " + round(pool, round));
            }
        } finally {
            pool.shutdownNow();
        }
        return report;
    }

    private String round(ExecutorService pool, int round) throws Exception {
        String org = "race-" + UUID.randomUUID().toString().substring(0, 8);
        // Tokens first: a login inside the race would stagger the callers.
        List<String> tokens = callers.stream().map(Caller::admin).toList();
        CyclicBarrier start = new CyclicBarrier(racers);
        List<Future<JsonResponse>> calls = new ArrayList<>();
        for (int racer = 0; racer < racers; racer++) {
            int slot = racer % callers.size();
            calls.add(pool.submit(() -> {
                start.await(30, TimeUnit.SECONDS);
                return callers.get(slot).node().createOrg(tokens.get(slot), org);
            }));
        }
        Instant started = Instant.now();
        List<JsonResponse> answers = new ArrayList<>();
        for (Future<JsonResponse> call : calls) {
            answers.add(call.get(ANSWER_DEADLINE.toSeconds(), TimeUnit.SECONDS));
        }
        long millis = Duration.between(started, Instant.now()).toMillis();
        long created = answers.stream().filter(answer -> answer.status() == 201).count();
        assertThat("round " + round + ", one 201 among " + answers, created, is(1L));
        answers.stream().filter(answer -> answer.status() != 201)
                .forEach(answer -> assertError(answer, 409, "conflict"));
        assertComplete(org);
        return racers + " creates of " + org + " answered within " + millis + " ms: one 201, " + (racers - 1) + " 409";
    }

    /** The org works on every node, and the master realm holds exactly one admin client for it. */
    private void assertComplete(String org) {
        Caller first = callers.get(0);
        String admin = first.admin();
        for (Caller caller : callers) {
            JsonResponse settings = caller.node().http().get(caller.node().admin(org, "/machine-oidc/settings"), caller.admin());
            assertThat(caller.node().baseUrl() + " " + org + " settings: " + settings, settings.status(), is(200));
        }
        JsonResponse adminClients = first.node().http().get(first.node().admin("master", "/clients?clientId=" + org + "-realm"), admin);
        assertThat(adminClients.body(), adminClients.json().size(), is(1));
        TestMachine machine = first.node().addMachine(admin, org, "app", "m").enroll();
        for (Caller caller : callers) {
            machine.on(caller.node()).signAssertion().mint("{}");
        }
    }
}
