package dev.machineoidc.bridge.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** The figures of each fault scenario as a Markdown table, for the test output and a file under target/. */
final class FaultTable {

    private static final List<String> HEADER = List.of("scenario", "requests", "200", "503", "other",
            "in flight at the fault", "slowest non-200", "longest without a 200", "recovery");

    private final List<List<String>> rows = new ArrayList<>();

    /**
     * @param inFlight how many requests were in flight when the fault struck, or a dash when none can be named
     * @param recovery when minting worked again, in the scenario's own terms
     */
    void add(String scenario, Answers answers, String inFlight, String recovery) {
        rows.add(List.of(scenario, Integer.toString(answers.size()), Long.toString(answers.count(200)),
                Long.toString(answers.count(503)),
                Long.toString(answers.size() - answers.count(200) - answers.count(503)), inFlight,
                millis(answers.slowestFailure()), millis(answers.longestWithoutSuccess()), recovery));
    }

    static String millis(Duration duration) {
        return duration.toMillis() + " ms";
    }

    String render() {
        List<List<String>> all = new ArrayList<>();
        all.add(HEADER);
        all.addAll(rows);
        int[] widths = IntStream.range(0, HEADER.size())
                .map(column -> all.stream().mapToInt(row -> row.get(column).length()).max().orElse(0)).toArray();
        StringBuilder table = new StringBuilder(line(HEADER, widths));
        table.append(line(IntStream.range(0, widths.length).mapToObj(column -> "-".repeat(widths[column])).toList(), widths));
        rows.forEach(row -> table.append(line(row, widths)));
        return table.toString();
    }

    /** Prints the table and writes it to {@code file}. */
    void report(Path file) throws IOException {
        String table = render();
        System.out.print(table);
        Files.createDirectories(file.getParent());
        Files.writeString(file, table);
    }

    private static String line(List<String> cells, int[] widths) {
        return IntStream.range(0, cells.size())
                .mapToObj(column -> String.format("%-" + widths[column] + "s", cells.get(column)))
                .collect(Collectors.joining(" | ", "| ", " |\n"));
    }
}
