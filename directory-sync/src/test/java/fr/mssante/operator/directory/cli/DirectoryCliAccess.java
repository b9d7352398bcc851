package fr.mssante.operator.directory.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs the CLI from tests of other packages, with the given environment and standard output. */
public final class DirectoryCliAccess {

    private DirectoryCliAccess() {
    }

    public static int run(Map<String, String> env, ByteArrayOutputStream out, String... args) {
        return new DirectoryCli(env, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false).run(args);
    }
}
