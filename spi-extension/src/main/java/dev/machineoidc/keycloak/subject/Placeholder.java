package dev.machineoidc.keycloak.subject;

import dev.machineoidc.keycloak.machine.Machine;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** A value a subject template can name, as {@code {name}}. */
public enum Placeholder {
    ORG("org", false),
    APP("app", true),
    MACHINE("machine", true),
    ORG_ID("org_id", false),
    APP_ID("app_id", true),
    MACHINE_ID("machine_id", true),
    REGION("region", false);

    /** The placeholders as a template writes them, for messages: {@code {org}, {app}, …}. */
    public static final String ALL = list(Arrays.stream(values()));
    /** The ones that name a machine or an app, one of which every template needs. */
    static final String IDENTIFYING = list(Arrays.stream(values()).filter(p -> p.identifying));

    private final String name;
    private final boolean identifying;

    Placeholder(String name, boolean identifying) {
        this.name = name;
        this.identifying = identifying;
    }

    static Optional<Placeholder> named(String name) {
        return Arrays.stream(values()).filter(p -> p.name.equals(name)).findFirst();
    }

    boolean identifying() {
        return identifying;
    }

    String valueOf(String orgId, String orgName, Machine machine) {
        return switch (this) {
            case ORG -> orgName;
            case APP -> machine.appName();
            case MACHINE -> machine.name();
            case ORG_ID -> orgId;
            case APP_ID -> machine.appId();
            case MACHINE_ID -> machine.id();
            case REGION -> machine.region();
        };
    }

    @Override
    public String toString() {
        return "{" + name + "}";
    }

    private static String list(java.util.stream.Stream<Placeholder> placeholders) {
        return placeholders.map(Placeholder::toString).collect(Collectors.joining(", "));
    }
}
