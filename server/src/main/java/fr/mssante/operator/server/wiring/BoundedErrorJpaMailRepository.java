package fr.mssante.operator.server.wiring;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.persistence.EntityManagerFactory;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryFactory;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.mailrepository.jpa.JPAMailRepository;
import org.apache.mailet.Mail;

/**
 * James's jpa:// mail repository, except that the error message stored with a mail is cut to its column
 * ({@code ERROR_MESSAGE}, 200 characters): James stores a whole stack trace there, and a longer one made parking
 * the mail fail, so the mail was lost. Configured in mailrepositorystore.xml for the jpa protocol.
 */
public class BoundedErrorJpaMailRepository extends JPAMailRepository {
    public static final int ERROR_MESSAGE_LENGTH = 200;

    @Inject
    public BoundedErrorJpaMailRepository(EntityManagerFactory entityManagerFactory) {
        super(entityManagerFactory);
    }

    public BoundedErrorJpaMailRepository(EntityManagerFactory entityManagerFactory, MailRepositoryUrl url) throws ConfigurationException {
        super(entityManagerFactory, url);
    }

    @Override
    public MailKey store(Mail mail) throws MessagingException {
        String error = mail.getErrorMessage();
        if (error != null && error.length() > ERROR_MESSAGE_LENGTH) {
            mail.setErrorMessage(error.substring(0, ERROR_MESSAGE_LENGTH - 1) + "…");
        }
        return super.store(mail);
    }

    /** Makes these repositories for the jpa protocol (in place of James's JPAMailRepositoryFactory). */
    public static class Factory implements MailRepositoryFactory {
        private final EntityManagerFactory entityManagerFactory;

        @Inject
        public Factory(EntityManagerFactory entityManagerFactory) {
            this.entityManagerFactory = entityManagerFactory;
        }

        @Override
        public Class<? extends MailRepository> mailRepositoryClass() {
            return BoundedErrorJpaMailRepository.class;
        }

        @Override
        public MailRepository create(MailRepositoryUrl url) {
            try {
                return new BoundedErrorJpaMailRepository(entityManagerFactory, url);
            } catch (ConfigurationException e) {
                throw new IllegalStateException("Cannot open mail repository " + url.asString(), e);
            }
        }
    }
}
