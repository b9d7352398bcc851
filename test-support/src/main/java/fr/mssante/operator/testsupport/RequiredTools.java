package fr.mssante.operator.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one place where a test says it needs an external tool (openssl, gpgsm, postfix, clamd, ldapsearch, curl, mutt,
 * fetchmail, python3…) or another prerequisite outside the build. When it is missing the test is skipped, unless
 * {@code MSS_REQUIRE_PEERS=true} (environment variable, or system property {@code mss.require.peers} /
 * {@code MSS_REQUIRE_PEERS}): then it fails. CI ({@code .ci/run}) sets the switch, so that nothing is silently left
 * untested there. Only the {@code ../shared} fixtures may skip whatever the switch says (they are not part of the
 * repository); they do not go through this class.
 */
public final class RequiredTools {
    public static final String SWITCH = "MSS_REQUIRE_PEERS";
    public static final String SWITCH_PROPERTY = "mss.require.peers";
    /** Searched after {@code PATH}: Debian puts daemons (postfix, clamd) in sbin, which a non-login PATH may lack. */
    private static final List<String> SYSTEM_DIRECTORIES = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
        "/usr/bin", "/sbin", "/bin");

    private final boolean peersRequired;
    private final String path;

    RequiredTools(UnaryOperator<String> environment, UnaryOperator<String> systemProperties) {
        this.peersRequired = isTrue(environment.apply(SWITCH)) || isTrue(systemProperties.apply(SWITCH_PROPERTY))
            || isTrue(systemProperties.apply(SWITCH));
        String pathVariable = environment.apply("PATH");
        this.path = pathVariable == null ? "" : pathVariable;
    }

    private static RequiredTools current() {
        return new RequiredTools(System::getenv, System::getProperty);
    }

    /** Whether a missing tool fails the test ({@code MSS_REQUIRE_PEERS=true}) rather than skipping it. */
    public static boolean peersRequired() {
        return current().peersRequired;
    }

    /**
     * The executable {@code tool} (a command name looked up in {@code PATH} then the system directories, or an
     * absolute path); skips the calling test when it is absent, or fails it when peers are required.
     * {@code debianPackage} tells the reader what to install.
     */
    public static Path require(String tool, String debianPackage) {
        return current().requireTool(tool, debianPackage);
    }

    /** {@link #require(String, String)} for a tool whose Debian package has the same name. */
    public static Path require(String tool) {
        return require(tool, tool);
    }

    /**
     * A prerequisite that is not a command (e.g. "runs as root", "the DMP stand-in is packaged"): skips the calling
     * test when {@code satisfied} is false, or fails it when peers are required.
     */
    public static void requireThat(boolean satisfied, String what) {
        current().requireCondition(satisfied, what);
    }

    /** Where {@code tool} is, if installed. */
    public static Optional<Path> locate(String tool) {
        return current().find(tool);
    }

    Path requireTool(String tool, String debianPackage) {
        Optional<Path> found = find(tool);
        requireCondition(found.isPresent(), tool + " is not installed (Debian package " + debianPackage + ")");
        return found.orElseThrow();
    }

    void requireCondition(boolean satisfied, String what) {
        if (satisfied) {
            return;
        }
        if (peersRequired) {
            Assertions.fail(what + ", and " + SWITCH + "=true: a missing peer is a failure");
        }
        Assumptions.abort(what + ": skipped (set " + SWITCH + "=true to make this a failure)");
    }

    Optional<Path> find(String tool) {
        if (tool.contains("/")) {
            Path absolute = Path.of(tool);
            return Files.isExecutable(absolute) ? Optional.of(absolute) : Optional.empty();
        }
        List<String> directories = new ArrayList<>();
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isBlank()) {
                directories.add(directory);
            }
        }
        directories.addAll(SYSTEM_DIRECTORIES);
        for (String directory : directories) {
            Path candidate = Path.of(directory, tool);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean isTrue(String value) {
        return value != null && value.trim().toLowerCase(Locale.ROOT).equals("true");
    }
}
