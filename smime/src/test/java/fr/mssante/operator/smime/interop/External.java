package fr.mssante.operator.smime.interop;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs an external peer (openssl, gpgsm) with a timeout; output goes to files (no pipe dead-lock on 10 MB). */
final class External {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    record Result(int exitCode, byte[] stdout, String stderr) {
        String describe() {
            return "exit " + exitCode + ": " + stderr;
        }
    }

    private External() {
    }

    static Result run(Path dir, Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        return run(dir, env, new File("/dev/null"), command);
    }

    static Result run(Path dir, Map<String, String> env, File input, List<String> command) throws IOException, InterruptedException {
        int n = COUNTER.incrementAndGet();
        Path out = dir.resolve("proc-" + n + ".out");
        Path err = dir.resolve("proc-" + n + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(input))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + command.get(0));
        }
        return new Result(process.exitValue(), Files.readAllBytes(out), Files.readString(err, StandardCharsets.UTF_8));
    }

    static Result run(Path dir, String... command) throws IOException, InterruptedException {
        return run(dir, Map.of(), List.of(command));
    }
}
