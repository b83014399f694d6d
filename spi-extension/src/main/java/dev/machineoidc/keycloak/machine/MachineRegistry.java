package dev.machineoidc.keycloak.machine;

import dev.machineoidc.keycloak.refusal.Refusal;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.services.managers.ClientManager;
import org.keycloak.services.managers.RealmManager;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Apps and machines of one org, kept as clients of the org realm so they are cached, invalidated across a
 * cluster and exported with the realm like any other client. Every lookup goes by client id or internal id:
 * Keycloak searches client attributes only when an operator lists them as searchable, so none is needed here.
 */
public final class MachineRegistry {

    public static final String KIND = "machine-oidc.kind";
    public static final String NAME = "machine-oidc.name";
    public static final String APP_ID = "machine-oidc.app-id";
    public static final String APP_NAME = "machine-oidc.app-name";
    public static final String REGION = "machine-oidc.region";
    public static final String IMAGE = "machine-oidc.image";
    public static final String IMAGE_DIGEST = "machine-oidc.image-digest";
    public static final String VERSION = "machine-oidc.version";
    public static final String CREATED = "machine-oidc.created";
    public static final String JWKS = "jwks.string";
    /** The id of the key the machine enrolled; a mint assertion must name the same. */
    public static final String KEY_ID = "machine-oidc.key-id";

    private static final String APP_PREFIX = "app:";
    private static final String KIND_APP = "app";
    private static final String KIND_MACHINE = "machine";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final Clock clock;

    public MachineRegistry(KeycloakSession session, RealmModel realm, Clock clock) {
        this.session = session;
        this.realm = realm;
        this.clock = clock;
    }

    public App createApp(String name) {
        Names.require("app", name);
        if (realm.getClientByClientId(APP_PREFIX + name) != null) {
            throw Refusal.conflict("App '" + name + "' already exists.");
        }
        ClientModel client = addClient(null, APP_PREFIX + name, KIND_APP, name,
                "Machine OIDC app; its machines are the clients machine:<name>@" + name + ".");
        // An app is a grouping, never a principal: nothing can log in as it.
        client.setEnabled(false);
        return toApp(client);
    }

    public List<App> apps() {
        return session.clients().searchClientsByClientIdStream(realm, APP_PREFIX, null, null)
                .filter(c -> c.getClientId().startsWith(APP_PREFIX) && KIND_APP.equals(c.getAttribute(KIND)))
                .map(MachineRegistry::toApp)
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .collect(Collectors.toList());
    }

    public Optional<App> app(String name) {
        if (!Names.isValid(name)) {
            return Optional.empty();
        }
        return Optional.ofNullable(realm.getClientByClientId(APP_PREFIX + name))
                .filter(c -> KIND_APP.equals(c.getAttribute(KIND)))
                .map(MachineRegistry::toApp);
    }

    public App requireApp(String name) {
        return app(name).orElseThrow(() -> Refusal.notFound("No app '" + name + "' in this org."));
    }

    public void deleteApp(App app) {
        if (machineClients(app).findAny().isPresent()) {
            throw Refusal.conflict("App '" + app.name() + "' still has machines; delete them first.");
        }
        new ClientManager(new RealmManager(session)).removeClient(realm, realm.getClientById(app.id()));
    }

    public Machine createMachine(App app, String name, MachineSpec spec) {
        Names.require("machine", name);
        String clientId = Machine.clientId(app.name(), name);
        if (realm.getClientByClientId(clientId) != null) {
            throw Refusal.conflict("Machine '" + name + "' already exists in app '" + app.name() + "'.");
        }
        ClientModel client = addClient(freshMachineId(), clientId, KIND_MACHINE, name,
                "Machine " + name + " of app " + app.name() + " (Machine OIDC).");
        client.setEnabled(true);
        // Its credential is its enrolled public key, which Keycloak's key cache loads from jwks.string. No service
        // account: the machine never gets Keycloak's own tokens, it only mints through the mint endpoint.
        client.setClientAuthenticatorType("client-jwt");
        client.setAttribute(APP_ID, app.id());
        client.setAttribute(APP_NAME, app.name());
        client.setAttribute("use.jwks.url", "false");
        client.setAttribute("use.jwks.string", "true");
        client.setAttribute(CREATED, clock.instant().toString());
        writeSpec(client, spec);
        return toMachine(client);
    }

    /**
     * One page of the app's machines, in Keycloak's client id order (by name); with a name prefix, only the machines
     * whose name starts with it. Keycloak's search is lazy and pages in the database, so a page costs the machines
     * before it and in it (plus, with a prefix, other apps' machines of that prefix), never the whole org.
     */
    public List<Machine> machines(App app, String namePrefix, int first, int max) {
        Stream<ClientModel> clients = namePrefix == null
                ? machineClients(app)
                : session.clients().searchClientsByClientIdStream(realm, Machine.CLIENT_ID_PREFIX + namePrefix, null, null)
                        .filter(c -> c.getClientId().startsWith(Machine.CLIENT_ID_PREFIX + namePrefix)
                                && isMachine(c) && app.id().equals(c.getAttribute(APP_ID)));
        return clients.skip(first).limit(max).map(MachineRegistry::toMachine).toList();
    }

    public long machineCount(App app) {
        return machineClients(app).count();
    }

    public Optional<Machine> machine(App app, String machineId) {
        return machineClient(machineId)
                .filter(c -> app.id().equals(c.getAttribute(APP_ID)))
                .map(MachineRegistry::toMachine);
    }

    public Machine requireMachine(App app, String machineId) {
        return machine(app, machineId)
                .orElseThrow(() -> Refusal.notFound("No machine '" + machineId + "' in app '" + app.name() + "'."));
    }

    /** A deploy update: what the machine runs changes, and so does its version. */
    public Machine update(Machine machine, MachineSpec spec) {
        ClientModel client = realm.getClientById(machine.id());
        writeSpec(client, spec);
        return toMachine(client);
    }

    /** Revocation: the client goes, so every node's next assertion check for it fails. */
    public void delete(Machine machine) {
        new ClientManager(new RealmManager(session)).removeClient(realm, realm.getClientById(machine.id()));
    }

    /** The machine client with this machine id, if it is one of ours. */
    public Optional<ClientModel> machineClient(String machineId) {
        if (!MachineIds.isValid(machineId)) {
            return Optional.empty();
        }
        return Optional.ofNullable(realm.getClientById(machineId)).filter(MachineRegistry::isMachine);
    }

    public static boolean isMachine(ClientModel client) {
        return KIND_MACHINE.equals(client.getAttribute(KIND));
    }

    public static Machine toMachine(ClientModel client) {
        return new Machine(
                client.getId(),
                client.getAttribute(NAME),
                client.getAttribute(APP_ID),
                client.getAttribute(APP_NAME),
                client.getAttribute(REGION),
                client.getAttribute(IMAGE),
                client.getAttribute(IMAGE_DIGEST),
                client.getAttribute(VERSION),
                client.getAttribute(JWKS) != null,
                client.isEnabled(),
                instantOrNull(client.getAttribute(CREATED)));
    }

    /** An attribute edited by hand into something else reads as unknown rather than failing the listing. */
    private static Instant instantOrNull(String raw) {
        try {
            return raw == null ? null : Instant.parse(raw);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Client ids search by substring, so the suffix {@code @<app>} also finds {@code @<app>-2}: the app id decides. */
    private Stream<ClientModel> machineClients(App app) {
        return session.clients().searchClientsByClientIdStream(realm, "@" + app.name(), null, null)
                .filter(c -> isMachine(c) && app.id().equals(c.getAttribute(APP_ID)));
    }

    /** A confidential OIDC client with no browser or password flow and no roles in its tokens. */
    private ClientModel addClient(String id, String clientId, String kind, String name, String description) {
        ClientModel client = realm.addClient(id, clientId);
        client.setName(name);
        client.setDescription(description);
        client.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        client.setPublicClient(false);
        client.setStandardFlowEnabled(false);
        client.setDirectAccessGrantsEnabled(false);
        client.setFullScopeAllowed(false);
        client.setAttribute(KIND, kind);
        client.setAttribute(NAME, name);
        return client;
    }

    private void writeSpec(ClientModel client, MachineSpec spec) {
        client.setAttribute(REGION, spec.region());
        client.setAttribute(IMAGE, spec.image());
        client.setAttribute(IMAGE_DIGEST, spec.imageDigest());
        client.setAttribute(VERSION, Ulid.generate(clock));
    }

    private String freshMachineId() {
        for (int attempt = 0; attempt < 5; attempt++) {
            String id = MachineIds.generate();
            if (session.clients().getClientById(realm, id) == null) {
                return id;
            }
        }
        throw new IllegalStateException("Could not find a free machine id");
    }

    private static App toApp(ClientModel client) {
        return new App(client.getId(), client.getAttribute(NAME));
    }
}
