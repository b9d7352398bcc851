package fr.mssante.operator.server.startup;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.mssante.operator.server.testing.TestServer;

/**
 * Configuration errors stop start-up with a message naming the file and key, and (with
 * {@code james.exit.on.startup.error=false}, set by the build) never exit the JVM.
 */
class StartupFailureTest {
    @TempDir
    Path workingDirectory;

    @Test
    void malformedConfigurationStopsStartupNamingTheFile() throws Exception {
        TestServer.copyReferenceConfiguration(workingDirectory.resolve("conf"));
        Path imap = workingDirectory.resolve("conf/imapserver.xml");
        Files.writeString(imap, Files.readString(imap).replace("</imapservers>", ""));
        assertThatThrownBy(() -> TestServer.start(workingDirectory, Map.of()))
            .hasMessageContaining("imapserver.xml").hasMessageContaining("line");
    }

    @Test
    void aValueJamesRejectsStopsStartupWithoutExitingTheJvm() throws Exception {
        TestServer.copyReferenceConfiguration(workingDirectory.resolve("conf"));
        Path smtp = workingDirectory.resolve("conf/smtpserver.xml");
        Files.writeString(smtp, Files.readString(smtp).replace("<maxmessagesize>${sys:mss.message.maxSize}</maxmessagesize>",
            "<maxmessagesize>lots</maxmessagesize>"));
        assertThatThrownBy(() -> TestServer.start(workingDirectory, Map.of()))
            .hasMessageContaining("conf/smtpserver.xml").hasMessageContaining("maxmessagesize").hasMessageContaining("lots");
    }

    @Test
    void anErrorOnlyJamesDetectsIsReportedWithItsFile() throws Exception {
        TestServer.copyReferenceConfiguration(workingDirectory.resolve("conf"));
        Path smtp = workingDirectory.resolve("conf/smtpserver.xml");
        Files.writeString(smtp, Files.readString(smtp).replaceFirst(
            "<handler class=\"org.apache.james.smtpserver.fastfail.ValidRcptHandler\"/>",
            "<handler class=\"org.apache.james.smtpserver.fastfail.NoSuchHandler\"/>"));
        assertThatThrownBy(() -> TestServer.start(workingDirectory, Map.of()))
            .hasMessageContaining("conf/smtpserver.xml").hasMessageContaining("NoSuchHandler");
    }
}
