package fr.mssante.operator.directory.ldap;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks a simple bind. The server wires its own (e.g. James users, or a service account per practice software). */
@FunctionalInterface
public interface LdapAuthenticator {

    boolean authenticate(String bindDn, byte[] password);

    /** One account, compared in constant time; the DN compared case-insensitively. */
    static LdapAuthenticator single(String bindDn, String password) {
        byte[] expected = password.getBytes(StandardCharsets.UTF_8);
        return (dn, given) -> dn != null && dn.trim().equalsIgnoreCase(bindDn)
            && given != null && given.length > 0 && MessageDigest.isEqual(expected, given);
    }

    LdapAuthenticator NOBODY = (dn, password) -> false;
}
