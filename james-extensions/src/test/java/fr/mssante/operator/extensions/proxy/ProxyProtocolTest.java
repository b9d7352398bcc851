package fr.mssante.operator.extensions.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.net.InetAddress;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.apache.commons.configuration2.XMLConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.io.FileHandler;
import org.junit.jupiter.api.Test;

/** The {@code <proxyProtocol>} element of smtpserver.xml / imapserver.xml, and what it changes in a listener. */
class ProxyProtocolTest {
    private static ProxyProtocol configured(String element) throws ConfigurationException {
        XMLConfiguration configuration = new XMLConfiguration();
        new FileHandler(configuration).load(new StringReader("<smtpserver>" + element + "</smtpserver>"));
        return ProxyProtocol.from(configuration);
    }

    @Test
    void offWhenAbsentOrFalse() throws Exception {
        assertThat(configured("").enabled()).isFalse();
        assertThat(configured("<proxyProtocol trusted=\"\">false</proxyProtocol>").enabled()).isFalse();
    }

    @Test
    void onWithItsTrustedFronts() throws Exception {
        ProxyProtocol proxy = configured("<proxyProtocol trusted=\"10.0.0.5, 172.30.18.0/24\">true</proxyProtocol>");

        assertThat(proxy.enabled()).isTrue();
        assertThat(proxy.trusted().contains(InetAddress.getByName("172.30.18.10"))).isTrue();
        assertThat(proxy.trusted().contains(InetAddress.getByName("10.0.0.6"))).isFalse();
    }

    @Test
    void misconfigurationsStopTheListener() {
        assertThatThrownBy(() -> configured("<proxyProtocol trusted=\"\">true</proxyProtocol>"))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("no trusted front");
        assertThatThrownBy(() -> configured("<proxyProtocol trusted=\"front.example\">true</proxyProtocol>"))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("'front.example'");
        assertThatThrownBy(() -> configured("<proxyProtocol trusted=\"10.0.0.5\">maybe</proxyProtocol>"))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("true or false");
        // James's own PROXY support believes any peer and counts the front in its limits
        assertThatThrownBy(() -> configured("<proxyRequired>true</proxyRequired>"))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("proxyRequired");
    }

    @Test
    void installingChangesTheListenerOnlyWhenOn() throws Exception {
        ChannelInitializer<SocketChannel> james = new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel channel) {
            }
        };
        ServerBootstrap off = new ServerBootstrap().channel(NioServerSocketChannel.class).childHandler(james);
        ProxyProtocol.OFF.install(off, "smtp");
        assertThat(off.config().childHandler()).isSameAs(james);
        assertThat(off.config().channelFactory()).hasToString("ReflectiveChannelFactory(NioServerSocketChannel.class)");

        ServerBootstrap on = new ServerBootstrap().channel(NioServerSocketChannel.class).childHandler(james);
        configured("<proxyProtocol trusted=\"127.0.0.1\">true</proxyProtocol>").install(on, "smtp");
        assertThat(on.config().childHandler()).isNotSameAs(james);
        assertThat(on.config().channelFactory()).hasToString("ReflectiveChannelFactory(ProxiedServerSocketChannel.class)");
    }
}
