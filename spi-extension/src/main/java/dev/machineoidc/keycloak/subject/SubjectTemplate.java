package dev.machineoidc.keycloak.subject;

import dev.machineoidc.keycloak.machine.Machine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An org's subject template, parsed once into literal text and {@link Placeholder}s: the one place that builds a
 * machine token's {@code sub}. Segments are separated by {@code :}; none may be empty, and some placeholder must name
 * the app or the machine, so a template cannot give every machine of an org one subject by mistake. Literal text is
 * printable ASCII without spaces and braces; there is no escape, so a brace always belongs to a placeholder.
 * <p>
 * Parsing is one pass over at most {@link #MAX_LENGTH} characters, with no regular expression.
 */
public final class SubjectTemplate {

    /** Fly's subject, and today's: {@code <org_name>:<app_name>:<machine_name>}. */
    public static final String DEFAULT_SOURCE = "{org}:{app}:{machine}";
    /** Room for every placeholder several times over; Azure caps a federated credential's subject at 600. */
    public static final int MAX_LENGTH = 256;
    public static final SubjectTemplate DEFAULT = parse(DEFAULT_SOURCE);

    private final String source;
    private final List<Part> parts;
    private final String problem;

    private SubjectTemplate(String source, List<Part> parts, String problem) {
        this.source = source;
        this.parts = parts;
        this.problem = problem;
    }

    /** @throws IllegalArgumentException saying what is wrong with the template, for an admin */
    public static SubjectTemplate parse(String source) {
        return new SubjectTemplate(source, compile(source), null);
    }

    /**
     * A template as stored with the org, {@link #DEFAULT} where none is. One that does not parse (an attribute edited
     * by hand or imported) is kept with its problem and refuses to render: minting fails closed rather than falling
     * back to another subject, which a relying party might trust for something else.
     */
    public static SubjectTemplate stored(String source) {
        if (source == null) {
            return DEFAULT;
        }
        try {
            return parse(source);
        } catch (IllegalArgumentException e) {
            return new SubjectTemplate(source, List.of(), e.getMessage());
        }
    }

    public String source() {
        return source;
    }

    /** Why a {@linkplain #stored stored} template cannot be used; empty for every template that parsed. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /**
     * @throws Unavailable when this template is invalid, or names a value the machine does not have (a region, on a
     *                     machine stored without one): an empty value would make an empty segment, or a subject that
     *                     several machines share
     */
    public String render(String orgId, String orgName, Machine machine) {
        if (problem != null) {
            throw new Unavailable("The org's subject template '" + source + "' is invalid: " + problem
                    + ". An admin must correct it in the org's settings.");
        }
        StringBuilder sub = new StringBuilder(64);
        for (Part part : parts) {
            String value = part.value(orgId, orgName, machine);
            if (value == null || value.isEmpty()) {
                throw new Unavailable("The org's subject template '" + source + "' needs " + part + ", which machine "
                        + machine.id() + " does not have.");
            }
            sub.append(value);
        }
        return sub.toString();
    }

    private static List<Part> compile(String source) {
        if (source == null || source.isEmpty()) {
            throw new IllegalArgumentException("the subject template is required");
        }
        if (source.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the subject template must be at most " + MAX_LENGTH + " characters, not "
                    + source.length());
        }
        requirePrintable(source);
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        boolean identifies = false;
        int segmentStart = 0;
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '{') {
                int close = closingBrace(source, i);
                String name = source.substring(i + 1, close);
                Placeholder placeholder = Placeholder.named(name).orElseThrow(() -> new IllegalArgumentException(
                        "the subject template has an unknown placeholder {" + name + "}; known are " + Placeholder.ALL));
                addLiteral(parts, literal);
                parts.add(new Value(placeholder));
                identifies |= placeholder.identifying();
                i = close + 1;
                continue;
            }
            if (c == '}') {
                throw new IllegalArgumentException("the subject template has unbalanced braces: the '}' at character "
                        + (i + 1) + " closes no '{'");
            }
            if (c == ':') {
                if (i == segmentStart) {
                    throw emptySegment(i);
                }
                segmentStart = i + 1;
            }
            literal.append(c);
            i++;
        }
        if (segmentStart == source.length()) {
            throw emptySegment(source.length() - 1);
        }
        addLiteral(parts, literal);
        if (!identifies) {
            throw new IllegalArgumentException("the subject template must name the app or the machine with one of "
                    + Placeholder.IDENTIFYING);
        }
        return List.copyOf(parts);
    }

    private static void requirePrintable(String source) {
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException("the subject template may hold only printable ASCII characters "
                        + "without spaces, not " + String.format("U+%04X", (int) c) + " at character " + (i + 1));
            }
        }
    }

    /** The index of the '}' closing the '{' at {@code open}; a second '{' or the end first means unbalanced braces. */
    private static int closingBrace(String source, int open) {
        for (int i = open + 1; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '}') {
                return i;
            }
            if (c == '{') {
                break;
            }
        }
        throw new IllegalArgumentException("the subject template has unbalanced braces: the '{' at character "
                + (open + 1) + " is not closed");
    }

    /** @param colon the index of the ':' that starts or ends the empty segment */
    private static IllegalArgumentException emptySegment(int colon) {
        return new IllegalArgumentException("the subject template has an empty segment at character " + (colon + 1)
                + ": segments are separated by ':', so it may not start or end with ':' nor hold '::'");
    }

    private static void addLiteral(List<Part> parts, StringBuilder literal) {
        if (literal.length() > 0) {
            parts.add(new Literal(literal.toString()));
            literal.setLength(0);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SubjectTemplate template && template.source.equals(source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    @Override
    public String toString() {
        return source;
    }

    /** A subject this template cannot give: the mint is refused with the message. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    private interface Part {
        String value(String orgId, String orgName, Machine machine);
    }

    private record Literal(String text) implements Part {
        @Override
        public String value(String orgId, String orgName, Machine machine) {
            return text;
        }
    }

    private record Value(Placeholder placeholder) implements Part {
        @Override
        public String value(String orgId, String orgName, Machine machine) {
            return placeholder.valueOf(orgId, orgName, machine);
        }

        @Override
        public String toString() {
            return placeholder.toString();
        }
    }
}
