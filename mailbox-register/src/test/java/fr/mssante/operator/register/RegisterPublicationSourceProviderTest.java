package fr.mssante.operator.register;

import fr.mssante.operator.directory.publication.PublishedMailboxSource;
import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class RegisterPublicationSourceProviderTest {

    @Test
    void theDirectoryCliFindsTheRegisterOnTheServersClassPath() {
        PublishedMailboxSource.Provider provider = ServiceLoader.load(PublishedMailboxSource.Provider.class)
            .findFirst().orElseThrow();

        assertThat(provider).isInstanceOf(RegisterPublicationSourceProvider.class);
        assertThat(provider.open(null)).isInstanceOf(RegisterPublicationSource.class);
    }
}
