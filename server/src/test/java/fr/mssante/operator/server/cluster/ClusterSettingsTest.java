package fr.mssante.operator.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.server.settings.InvalidSettingException;
import fr.mssante.operator.server.settings.ServerSettings;

/** MSS_QUEUE_URL, MSS_EVENTS_URL, MSS_NODE_NAME (issue 18): single node by default, validated, no password shown. */
class ClusterSettingsTest {
    @Test
    void withoutAQueueUrlTheNodeIsAloneWithItsEmbeddedBroker() {
        ClusterSettings cluster = ServerSettings.resolve(Map.of("MSS_NODE_NAME", "mx-1")::get, name -> null).cluster();

        assertThat(cluster.sharedQueue()).isFalse();
        assertThat(cluster.sharedEvents()).isFalse();
        assertThat(cluster.nodeName()).isEqualTo("mx-1");
    }

    @Test
    void eventsGoThroughTheQueueBrokerUnlessTheirOwnUrlIsSet() {
        ClusterSettings shared = ServerSettings.resolve(Map.of("MSS_QUEUE_URL", "failover:(tcp://broker:61616)",
            "MSS_QUEUE_USER", "mss", "MSS_QUEUE_PASSWORD", "s3cret")::get, name -> null).cluster();
        ClusterSettings separate = ServerSettings.resolve(Map.of("MSS_QUEUE_URL", "tcp://queue:61616",
            "MSS_EVENTS_URL", "ssl://events:61617")::get, name -> null).cluster();

        assertThat(shared.eventsUrl()).contains("failover:(tcp://broker:61616)");
        assertThat(shared.queuePassword()).isEqualTo("s3cret");
        assertThat(shared.toString()).doesNotContain("s3cret");
        assertThat(separate.eventsUrl()).contains("ssl://events:61617");
    }

    @Test
    void anythingButAnActiveMqOpenWireUrlIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_QUEUE_URL", "amqp://rabbit:5672")::get, name -> null))
            .isInstanceOf(InvalidSettingException.class).hasMessageContaining("MSS_QUEUE_URL");
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_NODE_NAME", "node 1; rm")::get, name -> null))
            .isInstanceOf(InvalidSettingException.class).hasMessageContaining("MSS_NODE_NAME");
    }
}
