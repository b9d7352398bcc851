package fr.mssante.operator.server.settings;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.mssante.operator.server.testing.TestServer;

class ConfigurationCheckTest {
    @TempDir
    Path conf;

    @org.junit.jupiter.api.BeforeEach
    void publishDevelopmentSettings() {
        // the check runs on interpolated values, after the server published its settings
        ServerSettings.resolve(name -> null, name -> null).publishAsSystemProperties();
    }

    @Test
    void theReferenceConfigurationPasses() throws Exception {
        Files.delete(conf);
        TestServer.copyReferenceConfiguration(conf);
        assertThatCode(() -> ConfigurationCheck.verify(conf)).doesNotThrowAnyException();
    }

    @Test
    void malformedXmlNamesTheFileAndLine() throws Exception {
        Files.delete(conf);
        TestServer.copyReferenceConfiguration(conf);
        Files.writeString(conf.resolve("smtpserver.xml"), "<smtpservers>\n  <smtpserver>\n</smtpservers>\n");
        assertThatThrownBy(() -> ConfigurationCheck.verify(conf))
            .isInstanceOf(InvalidConfigurationException.class)
            .hasMessageContaining("smtpserver.xml")
            .hasMessageContaining("line 3");
    }

    @Test
    void anUnknownSettingReferenceNamesTheFileLineAndKey() throws Exception {
        Files.delete(conf);
        TestServer.copyReferenceConfiguration(conf);
        Files.writeString(conf.resolve("webadmin.properties"), "enabled=true\nport=${sys:mss.webadmin.prot}\n");
        assertThatThrownBy(() -> ConfigurationCheck.verify(conf))
            .hasMessageContaining("webadmin.properties")
            .hasMessageContaining("line 2")
            .hasMessageContaining("mss.webadmin.prot");
    }

    @Test
    void aMissingRequiredFileIsNamed() throws Exception {
        Files.delete(conf);
        TestServer.copyReferenceConfiguration(conf);
        Files.delete(conf.resolve("imapserver.xml"));
        assertThatThrownBy(() -> ConfigurationCheck.verify(conf)).hasMessageContaining("imapserver.xml");
    }

    @Test
    void aDoctypeIsRefused() throws Exception {
        Files.delete(conf);
        TestServer.copyReferenceConfiguration(conf);
        Files.writeString(conf.resolve("domainlist.xml"),
            "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<domainlist>&e;</domainlist>\n");
        assertThatThrownBy(() -> ConfigurationCheck.verify(conf)).hasMessageContaining("domainlist.xml");
    }
}
