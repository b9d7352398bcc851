package fr.mssante.operator.server.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A James MPT protocol script ({@code *.test}) read into steps, in the format of James's
 * {@code FileProtocolSessionBuilder}: {@code C: } client lines, {@code S: } expected server lines (Java regular
 * expressions matched against the whole line), {@code S: \+ Ok} a continuation request, {@code SUB {}...{@code }}
 * server lines in any order, {@code SESSION: n} the session the following lines belong to (lines before the first
 * one go to every session), {@code #} comments, and {@code LOG}, {@code AWAIT}, {@code WAIT}, {@code TIMER},
 * {@code REINIT} directives. Our own reading of the format, not James's code.
 */
record MptScript(String name, List<Step> steps) {
    static final String CONTINUATION = "S: \\+ Ok";

    sealed interface Step permits Client, Server, Unordered, Continuation, Await {
        /** -1: every session. */
        int session();
    }

    record Client(int session, String line) implements Step {
    }

    record Server(int session, String pattern, String location) implements Step {
    }

    record Unordered(int session, List<String> patterns, String location) implements Step {
    }

    record Continuation(int session) implements Step {
    }

    /** AWAIT: the server's asynchronous work (events, quota) has settled. */
    record Await(int session) implements Step {
    }

    int sessionCount() {
        return Math.max(1, steps.stream().mapToInt(Step::session).max().orElse(0) + 1);
    }

    MptScript rewritten(UnaryOperator<String> clientLines, UnaryOperator<String> serverPatterns) {
        List<Step> out = new ArrayList<>();
        for (Step step : steps) {
            if (step instanceof Client c) {
                out.add(new Client(c.session(), clientLines.apply(c.line())));
            } else if (step instanceof Server s) {
                out.add(new Server(s.session(), serverPatterns.apply(s.pattern()), s.location()));
            } else if (step instanceof Unordered u) {
                out.add(new Unordered(u.session(), u.patterns().stream().map(serverPatterns).toList(), u.location()));
            } else {
                out.add(step);
            }
        }
        return new MptScript(name, out);
    }

    static MptScript read(String name, InputStream in) throws IOException {
        List<Step> steps = new ArrayList<>();
        int session = -1;
        int lineNumber = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                String location = name + ":" + lineNumber;
                if (line.equals(CONTINUATION)) {
                    steps.add(new Continuation(Math.max(0, session)));
                } else if (line.startsWith("C:")) {
                    steps.add(new Client(session, line.length() > 3 ? line.substring(3) : ""));
                } else if (line.startsWith("S:")) {
                    steps.add(new Server(session, line.length() > 3 ? line.substring(3) : "", location));
                } else if (line.startsWith("SUB {")) {
                    List<String> patterns = new ArrayList<>();
                    while (!(line = reader.readLine()).startsWith("}")) {
                        lineNumber++;
                        if (!line.startsWith("S:")) {
                            throw new IOException(location + ": only S: lines in a SUB block");
                        }
                        patterns.add(line.substring(3));
                    }
                    lineNumber++;
                    steps.add(new Unordered(session, patterns, location));
                } else if (line.startsWith("SESSION:")) {
                    session = Integer.parseInt(line.substring("SESSION:".length()).trim());
                } else if (line.startsWith("AWAIT")) {
                    steps.add(new Await(Math.max(0, session)));
                } else if (line.startsWith("#") || line.isBlank() || line.startsWith("LOG") || line.startsWith("TIMER")
                    || line.startsWith("WAIT")) {
                    // comments, log lines and timers say nothing about the protocol; WAIT: see MptRunner
                } else if (line.startsWith("REINIT")) {
                    throw new IOException(location + ": REINIT is not supported against an external server");
                } else {
                    throw new IOException(location + ": invalid line " + line);
                }
            }
        }
        return new MptScript(name, List.copyOf(steps));
    }

    MptScript then(MptScript other) {
        List<Step> all = new ArrayList<>(steps);
        all.addAll(other.steps);
        return new MptScript(name, all);
    }

    MptScript before(List<Step> prefix) {
        List<Step> all = new ArrayList<>(prefix);
        all.addAll(steps);
        return new MptScript(name, all);
    }
}
