package dev.machineoidc.arquillian;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's log read as entries: a timestamped line plus the lines that follow it (a stack trace), so that
 * an error whose cause is in our code is found even when only the trace names our classes.
 */
public final class ServerLog {

    /** {@code 2026-11-26 08:36:18,037 ERROR [category] ...}: group 1 is the level. */
    private static final Pattern ENTRY_START = Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d[,.]\\d+\\s+(\\w+)\\s");
    /** Quarkus' line once the server is up: {@code Keycloak 26.7.3 on JVM (...) started in 3.169s}. */
    private static final Pattern STARTED = Pattern.compile("\\) started in \\d");

    private ServerLog() {
    }

    /** The ERROR and FATAL entries, anywhere in the log, that contain {@code text}. */
    public static List<String> errorsMentioning(Path log, String text) throws IOException {
        return errorsMentioning(entries(log), text);
    }

    /**
     * The ERROR and FATAL entries containing {@code text} that the running server logged while starting: from
     * its {@code kc.sh start} up to the line saying it started. What later tests provoke does not count here.
     */
    public static List<String> startupErrorsMentioning(Path log, String text) throws IOException {
        List<Entry> entries = entries(log);
        int from = 0;
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).isStartCommand()) {
                from = i;
            }
        }
        int to = from;
        while (to < entries.size() && !STARTED.matcher(entries.get(to).text()).find()) {
            to++;
        }
        return errorsMentioning(entries.subList(from, Math.min(to + 1, entries.size())), text);
    }

    private static List<String> errorsMentioning(List<Entry> entries, String text) {
        return entries.stream().filter(entry -> entry.isError() && entry.text().contains(text)).map(Entry::text).toList();
    }

    /** Splits the log at timestamped lines and at the headers written before each kc.sh command. */
    private static List<Entry> entries(Path log) throws IOException {
        List<Entry> entries = new ArrayList<>();
        String level = "";
        StringBuilder text = new StringBuilder();
        for (String line : Files.readAllLines(log)) {
            Matcher start = ENTRY_START.matcher(line);
            boolean timestamped = start.find();
            if (timestamped || line.startsWith(ChildProcessLauncher.HEADER_PREFIX)) {
                if (!text.isEmpty()) {
                    entries.add(new Entry(level, text.toString()));
                    text.setLength(0);
                }
                level = timestamped ? start.group(1) : "";
            }
            text.append(line).append('\n');
        }
        if (!text.isEmpty()) {
            entries.add(new Entry(level, text.toString()));
        }
        return entries;
    }

    private record Entry(String level, String text) {

        boolean isError() {
            return level.equals("ERROR") || level.equals("FATAL");
        }

        boolean isStartCommand() {
            return text.startsWith(ChildProcessLauncher.HEADER_PREFIX) && text.contains("/kc.sh start ");
        }
    }
}
