package fr.mssante.operator.register;

import javax.sql.DataSource;

import fr.mssante.operator.directory.publication.PublishedMailboxSource;

/**
 * Lets the directory CLI ({@code ./mss directory publish|unused}, run on the server's class path) read our register:
 * found by {@link java.util.ServiceLoader} through {@code META-INF/services}.
 */
public final class RegisterPublicationSourceProvider implements PublishedMailboxSource.Provider {

    @Override
    public PublishedMailboxSource open(DataSource dataSource) {
        return new RegisterPublicationSource(dataSource);
    }
}
