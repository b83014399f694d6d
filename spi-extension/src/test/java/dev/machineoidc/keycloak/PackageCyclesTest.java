package dev.machineoidc.keycloak;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;

/**
 * No package of the extension depends on itself through others: a cycle makes two capabilities one in all but name,
 * to be understood and changed together. Read from the sources' text, so it needs no bytecode library: every use of
 * another package is an import or a fully qualified name, both of which spell the package out.
 */
class PackageCyclesTest {

    private static final Path MAIN_SOURCES = Path.of("src/main/java");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    /** A class of ours named with its package: a lower-case package path, then the upper-case class name. */
    private static final Pattern QUALIFIED_NAME = Pattern.compile("\\b(dev\\.machineoidc\\.keycloak(?:\\.[a-z]\\w*)*)\\.[A-Z]");

    @Test
    void mainSourcesHaveNoPackageCycle() {
        Map<String, Map<String, String>> graph = dependencies(MAIN_SOURCES);
        assertThat("the sources were read", graph.get("dev.machineoidc.keycloak.realm"),
                hasKey("dev.machineoidc.keycloak.token"));
        List<String> cycles = cycles(graph);
        assertThat("package cycles, each step with a file that makes it:\n" + String.join("\n", cycles),
                cycles, is(empty()));
    }

    @Test
    void aCycleIsNamedWithTheClassThatMakesEachStep() {
        Map<String, Map<String, String>> graph = Map.of(
                "a", Map.of("b", "A1.java"),
                "b", Map.of("c", "B1.java"),
                "c", Map.of("a", "C1.java", "d", "C2.java"),
                "d", Map.of());
        assertThat(cycles(graph), contains("a -(A1.java)-> b -(B1.java)-> c -(C1.java)-> a"));
    }

    @Test
    void packagesThatOnlyDependDownwardsHaveNoCycle() {
        Map<String, Map<String, String>> graph = Map.of(
                "a", Map.of("b", "A1.java", "c", "A2.java"),
                "b", Map.of("c", "B1.java"),
                "c", Map.of());
        assertThat(cycles(graph), is(empty()));
    }

    @Test
    void importsStaticImportsAndQualifiedNamesAreDependenciesButTheOwnPackageIsNot() {
        String source = """
                package dev.machineoidc.keycloak.token;

                import dev.machineoidc.keycloak.org.OrgSettings;
                import static dev.machineoidc.keycloak.api.JsonBody.parse;

                /** Signed as {@link dev.machineoidc.keycloak.signing.MintSigner} does; see MintBatch. */
                class X {
                    Object settings = dev.machineoidc.keycloak.claims.MachineClaims.class;
                    Object self = dev.machineoidc.keycloak.token.MintBatch.class;
                    String note = "dev.machineoidc.native-rs256:";
                }
                """;
        assertThat(referencedPackages(source), contains(
                "dev.machineoidc.keycloak.api", "dev.machineoidc.keycloak.claims", "dev.machineoidc.keycloak.org",
                "dev.machineoidc.keycloak.signing"));
    }

    /** Package to the packages it uses, each with the first source file (in path order) that uses it. */
    private static Map<String, Map<String, String>> dependencies(Path sources) {
        Map<String, Map<String, String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(file -> file.toString().endsWith(".java")).sorted().forEach(file -> {
                String source = read(file);
                String name = sources.relativize(file).toString();
                Map<String, String> uses = graph.computeIfAbsent(packageOf(source), p -> new TreeMap<>());
                referencedPackages(source).forEach(used -> uses.putIfAbsent(used, name));
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return graph;
    }

    /** The other packages of ours that a source file names, in name order. */
    private static Set<String> referencedPackages(String source) {
        String own = packageOf(source);
        Set<String> used = new TreeSet<>();
        Matcher name = QUALIFIED_NAME.matcher(source);
        while (name.find()) {
            if (!name.group(1).equals(own)) {
                used.add(name.group(1));
            }
        }
        return used;
    }

    private static String packageOf(String source) {
        Matcher declaration = PACKAGE.matcher(source);
        if (!declaration.find()) {
            throw new IllegalArgumentException("a source file without a package declaration");
        }
        return declaration.group(1);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One cycle per strongly connected group of packages (Tarjan), starting at the group's first package in name order
     * and taking the shortest way back to it, each step labelled with the file that makes it.
     */
    static List<String> cycles(Map<String, Map<String, String>> graph) {
        List<String> cycles = new ArrayList<>();
        for (Set<String> group : new StronglyConnected(graph).groups()) {
            if (group.size() > 1) {
                cycles.add(shortestCycle(graph, group));
            }
        }
        return cycles;
    }

    private static String shortestCycle(Map<String, Map<String, String>> graph, Set<String> group) {
        String start = group.iterator().next();
        Map<String, String> reachedFrom = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String at = queue.removeFirst();
            for (String next : new TreeSet<>(graph.getOrDefault(at, Map.of()).keySet())) {
                if (group.contains(next) && !reachedFrom.containsKey(next)) {
                    reachedFrom.put(next, at);
                    queue.addLast(next);
                }
            }
        }
        List<String> path = new ArrayList<>(List.of(start));
        for (String at = reachedFrom.get(start); !at.equals(start); at = reachedFrom.get(at)) {
            path.add(0, at);
        }
        path.add(0, start);
        StringBuilder cycle = new StringBuilder(path.get(0));
        for (int i = 1; i < path.size(); i++) {
            cycle.append(" -(").append(graph.get(path.get(i - 1)).get(path.get(i))).append(")-> ").append(path.get(i));
        }
        return cycle.toString();
    }

    /** Tarjan's strongly connected components; each group's members in name order. */
    private static final class StronglyConnected {

        private final Map<String, Map<String, String>> graph;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> lowLink = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new TreeSet<>();
        private final List<Set<String>> groups = new ArrayList<>();

        StronglyConnected(Map<String, Map<String, String>> graph) {
            this.graph = graph;
        }

        List<Set<String>> groups() {
            new TreeSet<>(graph.keySet()).stream().filter(p -> !index.containsKey(p)).forEach(this::visit);
            return groups;
        }

        private void visit(String node) {
            index.put(node, index.size());
            lowLink.put(node, index.get(node));
            stack.push(node);
            onStack.add(node);
            for (String next : new TreeSet<>(graph.getOrDefault(node, Map.of()).keySet())) {
                if (!index.containsKey(next)) {
                    visit(next);
                    lowLink.put(node, Math.min(lowLink.get(node), lowLink.get(next)));
                } else if (onStack.contains(next)) {
                    lowLink.put(node, Math.min(lowLink.get(node), index.get(next)));
                }
            }
            if (lowLink.get(node).equals(index.get(node))) {
                Set<String> group = new TreeSet<>();
                String member;
                do {
                    member = stack.pop();
                    onStack.remove(member);
                    group.add(member);
                } while (!member.equals(node));
                groups.add(group);
            }
        }
    }
}
