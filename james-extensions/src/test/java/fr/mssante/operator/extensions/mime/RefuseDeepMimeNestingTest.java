package fr.mssante.operator.extensions.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.extensions.audit.MessageEventLog;

class RefuseDeepMimeNestingTest {
    @Test
    void readsItsDepthAndRefusesUnknownParameters() throws Exception {
        RefuseDeepMimeNesting hook = new RefuseDeepMimeNesting(new MessageEventLog(null));
        BaseHierarchicalConfiguration config = new BaseHierarchicalConfiguration();
        config.addProperty("maxDepth", "12");
        hook.init(config);
        assertThat(hook.maxDepth()).isEqualTo(12);

        BaseHierarchicalConfiguration unknown = new BaseHierarchicalConfiguration();
        unknown.addProperty("maxDeph", "12");
        assertThatThrownBy(() -> hook.init(unknown)).isInstanceOf(ConfigurationException.class).hasMessageContaining("maxDeph");

        BaseHierarchicalConfiguration tooSmall = new BaseHierarchicalConfiguration();
        tooSmall.addProperty("maxDepth", "1");
        assertThatThrownBy(() -> hook.init(tooSmall)).isInstanceOf(ConfigurationException.class);
    }
}
