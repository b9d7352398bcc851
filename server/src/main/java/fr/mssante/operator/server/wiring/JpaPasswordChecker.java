package fr.mssante.operator.server.wiring;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.Username;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.jpa.model.JPAUser;

import fr.mssante.operator.authentication.Authentication;

/**
 * Password hashes of James's JPA user store. The dummy is a {@link JPAUser} of a random secret hashed with the
 * configured algorithm ({@code usersrepository.xml}), so that checking an unknown login costs the same hash work as
 * checking a known one.
 */
public class JpaPasswordChecker implements Authentication.PasswordChecker {
    /** James's JPAUsersDAO default when usersrepository.xml names no algorithm. */
    private static final String JAMES_DEFAULT_ALGORITHM = "PBKDF2";

    private final UsersRepository users;
    private final Authentication.StoredPassword dummy;

    @Inject
    public JpaPasswordChecker(UsersRepository users, ConfigurationProvider configuration) throws ConfigurationException {
        this.users = users;
        String algorithm = configuration.getConfiguration("usersrepository").getString("algorithm", JAMES_DEFAULT_ALGORITHM);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        JPAUser user = new JPAUser("nobody@invalid.invalid", HexFormat.of().formatHex(random), algorithm);
        this.dummy = user::verifyPassword;
    }

    @Override
    public Optional<Authentication.StoredPassword> find(String login) throws Exception {
        return Optional.ofNullable(users.getUserByName(Username.of(login))).map(user -> user::verifyPassword);
    }

    @Override
    public Authentication.StoredPassword dummy() {
        return dummy;
    }
}
