package fr.mssante.operator.server.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real client to its end (bounded), stdin from a string, stdout and stderr captured through files. */
record Command(int exitCode, String stdout, String stderr) {

    static Command run(Path directory, Map<String, String> environment, String stdin, List<String> command)
        throws IOException, InterruptedException {
        Files.createDirectories(directory);
        Path in = Files.createTempFile(directory, "stdin-", ".txt");
        Path out = Files.createTempFile(directory, "stdout-", ".txt");
        Path err = Files.createTempFile(directory, "stderr-", ".txt");
        Files.writeString(in, stdin, StandardCharsets.UTF_8);
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
            .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command.get(0) + " did not finish in 90 s; stderr: " + Files.readString(err));
        }
        return new Command(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    }

    String describe() {
        return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
}
