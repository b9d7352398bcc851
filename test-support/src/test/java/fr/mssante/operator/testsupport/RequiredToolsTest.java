package fr.mssante.operator.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class RequiredToolsTest {
    private static final String MISSING = "no-such-tool-" + Long.toString(System.nanoTime(), 36);

    @Test
    void aMissingToolFailsTheTestWhenPeersAreRequiredByTheEnvironment() {
        RequiredTools tools = new RequiredTools(Map.of("MSS_REQUIRE_PEERS", "true", "PATH", "/usr/bin")::get, name -> null);

        assertThatThrownBy(() -> tools.requireTool(MISSING, "no-such-package"))
            .isInstanceOf(AssertionFailedError.class)
            .hasMessageContaining(MISSING).hasMessageContaining("no-such-package").hasMessageContaining("MSS_REQUIRE_PEERS=true");
    }

    @Test
    void theSwitchIsAlsoReadFromASystemProperty() {
        RequiredTools tools = new RequiredTools(Map.of("PATH", "/usr/bin")::get, Map.of("mss.require.peers", "TRUE")::get);

        assertThatThrownBy(() -> tools.requireCondition(false, "the DMP stand-in is not packaged"))
            .isInstanceOf(AssertionFailedError.class).hasMessageContaining("the DMP stand-in is not packaged");
    }

    @Test
    void withoutTheSwitchAMissingToolSkipsTheTest() {
        RequiredTools tools = new RequiredTools(Map.of("PATH", "/usr/bin")::get, name -> null);

        assertThatThrownBy(() -> tools.requireTool(MISSING, "no-such-package"))
            .isInstanceOf(TestAbortedException.class).hasMessageContaining(MISSING);
        RequiredTools off = new RequiredTools(Map.of("MSS_REQUIRE_PEERS", "false", "PATH", "/usr/bin")::get, name -> null);
        assertThatThrownBy(() -> off.requireCondition(false, "x")).isInstanceOf(TestAbortedException.class);
    }

    @Test
    void anInstalledToolIsFoundInThePathOrTheSystemDirectories() {
        // sh is in /bin on every Debian; an empty PATH still finds it through the system directories
        RequiredTools tools = new RequiredTools(Map.of("MSS_REQUIRE_PEERS", "true", "PATH", "")::get, name -> null);

        assertThat(tools.requireTool("sh", "dash").getFileName().toString()).isEqualTo("sh");
        assertThat(tools.find("/bin/sh")).isPresent();
        assertThat(tools.find("/bin/" + MISSING)).isEmpty();
    }
}
