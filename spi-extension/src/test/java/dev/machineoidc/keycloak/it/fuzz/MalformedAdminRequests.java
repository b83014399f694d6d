package dev.machineoidc.keycloak.it.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.machineoidc.keycloak.machine.Names;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.machineoidc.keycloak.it.fuzz.AdminRequest.MACHINE;
import static dev.machineoidc.keycloak.it.fuzz.AdminRequest.ORG;

/**
 * Requests to the admin API that a careless or hostile admin client could send: bodies of the wrong JSON types, with
 * fields missing or extra, huge strings, bytes that are not UTF-8 or not JSON at all, bad names, path segments with odd
 * characters, other methods and content types. Requests that create something always carry a bad name or one that
 * exists (the fixture's org {@value AdminRequest#ORG}, app {@value #APP}, machine {@value #MACHINE_NAME}), so whatever
 * the server answers, no org, app or machine may appear; a DELETE never names the fixture's machine.
 */
public final class MalformedAdminRequests {

    public static final String APP = "web";
    public static final String MACHINE_NAME = "m";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String DIGEST = "sha256:" + "a".repeat(64);
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

    private MalformedAdminRequests() {
    }

    /** {@code POST master/machine-oidc/orgs}, and orgs asked of an org realm. */
    public static Arbitrary<AdminRequest> orgs() {
        Arbitrary<JsonNode> name = Arbitraries.frequencyOf(
                Tuple.of(6, badNames().map(NODES::textNode)),
                Tuple.of(2, Arbitraries.of(ORG, "master").map(NODES::textNode)),
                Tuple.of(2, wrongTypes()));
        Map<String, Arbitrary<JsonNode>> fields = new LinkedHashMap<>(settingsFields());
        fields.put("name", name);
        return requests(Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just("master/machine-oidc/orgs")),
                        Tuple.of(1, Arbitraries.just(ORG + "/machine-oidc/orgs"))),
                methods("POST"), jsonObjects(fields));
    }

    /** {@code GET}/{@code PUT} an org's settings, and settings asked of the master realm. */
    public static Arbitrary<AdminRequest> settings() {
        return requests(Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just(ORG + "/machine-oidc/settings")),
                        Tuple.of(1, Arbitraries.just("master/machine-oidc/settings"))),
                methods("PUT", "GET"), jsonObjects(settingsFields()));
    }

    /** The apps collection, one app by an odd name, and apps asked of the master realm. */
    public static Arbitrary<AdminRequest> apps() {
        Map<String, Arbitrary<JsonNode>> fields = Map.of("name", existingOrBadName(APP));
        Arbitrary<AdminRequest> collection = requests(
                Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just(ORG + "/machine-oidc/apps")),
                        Tuple.of(1, Arbitraries.just("master/machine-oidc/apps"))),
                methods("POST", "GET"), jsonObjects(fields));
        Arbitrary<AdminRequest> one = requests(appSegments().map(app -> ORG + "/machine-oidc/apps/" + app),
                methods("GET", "DELETE"), jsonObjects(fields));
        return Arbitraries.oneOf(collection, one);
    }

    /** An app's machines, one machine by its real id or an odd one, its deploy updates and deletion. */
    public static Arbitrary<AdminRequest> machines() {
        Map<String, Arbitrary<JsonNode>> fields = machineFields();
        Arbitrary<AdminRequest> collection = requests(
                appSegments().map(app -> ORG + "/machine-oidc/apps/" + app + "/machines"),
                methods("POST", "GET"), jsonObjects(fields));
        Arbitrary<AdminRequest> one = requests(
                Combinators.combine(appSegments(), machineSegments())
                        .as((app, machine) -> ORG + "/machine-oidc/apps/" + app + "/machines/" + machine),
                methods("PUT", "GET", "DELETE"), jsonObjects(fields));
        return Arbitraries.oneOf(collection, one).filter(MalformedAdminRequests::sparesTheFixtureMachine);
    }

    /** New enrollment tokens for the real machine and for odd ids. */
    public static Arbitrary<AdminRequest> enrollments() {
        return requests(Combinators.combine(appSegments(), machineSegments())
                        .as((app, machine) -> ORG + "/machine-oidc/apps/" + app + "/machines/" + machine + "/enrollment"),
                methods("POST"), jsonObjects(machineFields()))
                .filter(MalformedAdminRequests::sparesTheFixtureMachine);
    }

    /** An org's keys and its rotation phases (which take no fields), and keys asked of the master realm. */
    public static Arbitrary<AdminRequest> keys() {
        return requests(Arbitraries.frequencyOf(
                        Tuple.of(9, Arbitraries.of("", "/prepare", "/activate", "/retire").map(step -> ORG + "/machine-oidc/keys" + step)),
                        Tuple.of(1, Arbitraries.just("master/machine-oidc/keys"))),
                methods("POST", "GET"), jsonObjects(Map.of()));
    }

    /** Paths under machine-oidc that no resource serves. */
    public static Arbitrary<AdminRequest> unknownPaths() {
        return requests(Arbitraries.oneOf(
                        oddSegments().map(segment -> ORG + "/machine-oidc/" + segment),
                        oddSegments().map(segment -> "master/machine-oidc/" + segment),
                        oddSegments().map(segment -> ORG + "/machine-oidc/apps/" + APP + "/machines/" + MACHINE + "/" + segment)),
                methods("GET"), jsonObjects(Map.of("name", existingOrBadName(APP))))
                .filter(MalformedAdminRequests::sparesTheFixtureMachine);
    }

    private static boolean sparesTheFixtureMachine(AdminRequest request) {
        return !(request.method().equals("DELETE") && request.path().contains(MACHINE));
    }

    private static Arbitrary<AdminRequest> requests(Arbitrary<String> paths, Arbitrary<String> methods, Arbitrary<byte[]> json) {
        Arbitrary<byte[]> bodies = Arbitraries.frequencyOf(
                Tuple.of(6, json),
                Tuple.of(3, malformedBodies()),
                Tuple.of(1, Arbitraries.just((byte[]) null)));
        return Combinators.combine(methods, paths, contentTypes(), bodies).as(AdminRequest::new);
    }

    /** Mostly what the path serves, sometimes any other method. */
    private static Arbitrary<String> methods(String... served) {
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(served)), Tuple.of(1, Arbitraries.of(METHODS)));
    }

    /**
     * Content types that parse as media types. One that does not ({@code garbage}) makes Keycloak 26.7.3 answer 500 on
     * every endpoint, its own included: its security-headers response filter parses the request's Content-Type.
     */
    private static Arbitrary<String> contentTypes() {
        return Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.just("application/json")),
                Tuple.of(1, Arbitraries.just((String) null)),
                Tuple.of(1, Arbitraries.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x", "application/json; charset=utf-16",
                        "application/json; charset=bogus-42", "application/json; charset=", "*/*")));
    }

    // --- JSON bodies ---

    private static Map<String, Arbitrary<JsonNode>> settingsFields() {
        Map<String, Arbitrary<JsonNode>> fields = new LinkedHashMap<>();
        fields.put("token_lifetime", Arbitraries.oneOf(integers(), wrongTypes()));
        fields.put("nbf_backdate", Arbitraries.oneOf(integers(), wrongTypes()));
        fields.put("allowed_audiences", Arbitraries.oneOf(
                anyStrings().list().ofMaxSize(5).map(MalformedAdminRequests::textArray), wrongTypes()));
        fields.put("subject_template", Arbitraries.oneOf(anyStrings().map(NODES::textNode), wrongTypes()));
        fields.put("default_audience", Arbitraries.oneOf(anyStrings().map(NODES::textNode), wrongTypes()));
        fields.put("jwks_cache_seconds", Arbitraries.oneOf(integers(), wrongTypes()));
        return fields;
    }

    private static Map<String, Arbitrary<JsonNode>> machineFields() {
        Map<String, Arbitrary<JsonNode>> fields = new LinkedHashMap<>();
        fields.put("name", existingOrBadName(MACHINE_NAME));
        fields.put("region", Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(NODES.textNode("sea"))),
                Tuple.of(2, Arbitraries.oneOf(anyStrings().map(NODES::textNode), wrongTypes()))));
        fields.put("image", Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(NODES.textNode("registry.example.com/app:1"))),
                Tuple.of(2, Arbitraries.oneOf(anyStrings().map(NODES::textNode), wrongTypes()))));
        fields.put("image_digest", Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(NODES.textNode(DIGEST))),
                Tuple.of(2, Arbitraries.oneOf(anyStrings().map(NODES::textNode), wrongTypes()))));
        return fields;
    }

    /** A JSON object of the given fields, each present or not, and up to three fields nobody asked for. */
    private static Arbitrary<byte[]> jsonObjects(Map<String, Arbitrary<JsonNode>> fields) {
        List<Arbitrary<Map<String, JsonNode>>> parts = new ArrayList<>();
        fields.forEach((field, value) -> parts.add(value.map(v -> Map.of(field, v)).injectNull(0.5)));
        parts.add(Arbitraries.maps(Arbitraries.strings().all().ofMaxLength(20), wrongTypes()).ofMaxSize(3));
        return Combinators.combine(parts).as(present -> {
            ObjectNode object = NODES.objectNode();
            present.stream().filter(part -> part != null).forEach(object::setAll);
            return serialize(object);
        });
    }

    private static Arbitrary<JsonNode> existingOrBadName(String existing) {
        return Arbitraries.frequencyOf(
                Tuple.of(6, badNames().map(NODES::textNode)),
                Tuple.of(2, Arbitraries.just(NODES.textNode(existing))),
                Tuple.of(2, wrongTypes()));
    }

    /** Never a name that could be created: those that break the naming rule, from every side. */
    private static Arbitrary<String> badNames() {
        return Arbitraries.oneOf(
                anyStrings(),
                Arbitraries.strings().alpha().numeric().withChars('-', '_', '.', ' ').ofMaxLength(70),
                Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('-').ofMinLength(64).ofMaxLength(80),
                Arbitraries.of("", " ", "-", "Web", "web ", " web", "web\n", "w\u0000b", "wéb", "ｗｅｂ", "web\u200b"),
                hugeStrings()).filter(name -> !Names.isValid(name));
    }

    private static Arbitrary<String> anyStrings() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(40), Arbitraries.strings().ascii().ofMaxLength(40));
    }

    private static Arbitrary<String> hugeStrings() {
        return Arbitraries.of(1_000, 65_536, 300_000).map("w"::repeat);
    }

    private static Arbitrary<JsonNode> integers() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(-1_000, 100_000).map(NODES::numberNode)),
                Tuple.of(1, Arbitraries.longs().map(NODES::numberNode)),
                Tuple.of(1, Arbitraries.of(Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1).map(NODES::numberNode)));
    }

    /** Every JSON type but the expected one, including numbers too big for any Java type, nesting, and null. */
    private static Arbitrary<JsonNode> wrongTypes() {
        return Arbitraries.oneOf(
                Arbitraries.integers().map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.just(NODES.numberNode(BigInteger.TEN.pow(40))),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.just(NODES.nullNode()),
                anyStrings().map(NODES::textNode),
                anyStrings().list().ofMaxSize(3).map(MalformedAdminRequests::textArray),
                Arbitraries.just(NODES.objectNode().set("nested", NODES.arrayNode().add(NODES.objectNode()))));
    }

    private static JsonNode textArray(List<String> items) {
        return NODES.arrayNode().addAll(items.stream().map(NODES::textNode).toList());
    }

    private static byte[] serialize(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- bodies that are not JSON objects, or not JSON, or not UTF-8; a name in them is never a good one ---

    private static Arbitrary<byte[]> malformedBodies() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
                Arbitraries.of("{", "}", "{\"name\":", "{\"name\":\"Web\"}}", "{\"name\":\"Web\"} {}", "[]", "\"Web\"", "42",
                        "null", "true", "{'name':'Web'}", "{name:Web}", "{\"name\":\"Web\",}", "{\"name\":NaN}",
                        "/* c */{\"name\":\"Web\"}", "{\"token_lifetime\":1e999999}",
                        "{\"token_lifetime\":" + "9".repeat(2_000) + "}", "{\"name\":\"\\ud800\"}", "{\"name\":\"\\u0000\"}")
                        .map(AdminRequest::utf8),
                Combinators.combine(Arbitraries.of("[", "{\"a\":"), Arbitraries.of(100, 2_000, 50_000))
                        .as((open, depth) -> AdminRequest.utf8(open.repeat(depth))),
                notUtf8().map(bytes -> concat(AdminRequest.utf8("{\"name\":\""), bytes, AdminRequest.utf8("\"}"))),
                notUtf8(),
                Arbitraries.just(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, AdminRequest.utf8("{\"name\":\"Web\"}"))),
                Arbitraries.just("{\"name\":\"Web\"}".getBytes(StandardCharsets.UTF_16)));
    }

    /** Overlong forms ({@code C0 AF} is an overlong '/'), surrogates, truncated and stray bytes. */
    private static Arbitrary<byte[]> notUtf8() {
        return Arbitraries.of(
                new byte[] {(byte) 0xC0, (byte) 0xAF},
                new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xFF},
                new byte[] {(byte) 0xFE, (byte) 0xFF},
                new byte[] {(byte) 0xC3},
                new byte[] {(byte) 0x80});
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            joined.writeBytes(part);
        }
        return joined.toByteArray();
    }

    // --- path segments ---

    private static Arbitrary<String> appSegments() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(APP)), Tuple.of(1, oddSegments()));
    }

    private static Arbitrary<String> machineSegments() {
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(MACHINE)), Tuple.of(2, oddSegments()));
    }

    /**
     * Segments no app or machine has, percent-encoded: any characters, ids of the right shape that name nothing, a
     * kilobyte. Never "." or "..", which the server resolves before routing, so a DELETE could reach another resource.
     */
    private static Arbitrary<String> oddSegments() {
        return Arbitraries.oneOf(
                        anyStrings(),
                        Arbitraries.strings().withCharRange('a', 'f').numeric().ofLength(14),
                        Arbitraries.of("", " ", "%", "...", "Web", "0123456789abcd", "a".repeat(64), "\u0000", "😀", "a/b",
                                "a;b=c", "a?b", "a#b", "{org}", "%2e%2e"),
                        Arbitraries.strings().ascii().ofLength(1_000))
                .filter(segment -> !segment.equals(".") && !segment.equals(".."))
                .map(MalformedAdminRequests::percentEncode);
    }

    /** Every byte of the UTF-8 form but RFC 3986's unreserved characters, so '.' stays and everything else is %XX. */
    static String percentEncode(String segment) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                encoded.append(c);
            } else {
                encoded.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return encoded.toString();
    }
}
