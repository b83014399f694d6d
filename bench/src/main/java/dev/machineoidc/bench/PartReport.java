package dev.machineoidc.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a part of the benchmark found that can also run alone ({@code --fleet}, {@code --slow-readers}). */
interface PartReport {

    /** Its lines of results.txt. */
    String text();

    /** Its lines under "Targets:". */
    void targets(StringBuilder text);

    /** Writes its CSV files to {@code outDir}. */
    void write(Path outDir) throws IOException;

    /** The names of the files {@link #write} makes. */
    String files();

    /** The key=value lines that end the output when it runs alone. */
    void printLastLines(PrintStream out);

    /** Run alone, the part is the benchmark's whole result: results.txt, its files, its last lines. */
    default void printAlone(PrintStream out, Path outDir) throws IOException {
        write(outDir);
        StringBuilder text = new StringBuilder();
        text.append("Machine: ").append(MachineFacts.describe()).append('\n');
        text.append(text());
        text.append("Targets:\n");
        targets(text);
        Files.writeString(outDir.resolve("results.txt"), text);
        out.println();
        out.print(text);
        out.println("Figures: " + outDir.resolve("results.txt") + ", " + files());
        printLastLines(out);
    }
}
