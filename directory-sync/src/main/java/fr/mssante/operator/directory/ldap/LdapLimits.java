package fr.mssante.operator.directory.ldap;

/**
 * Limits applied to every LDAP connection before UnboundID decodes a request (issue 12 #6, #13).
 *
 * @param maxMessageBytes          largest LDAP message (PDU) accepted; a larger one closes the connection with a notice
 *                                 of disconnection ({@code protocolError})
 * @param maxNestingDepth          deepest nesting of BER elements in one message (a search filter's AND/OR/NOT nest
 *                                 one level each; the message itself takes two); deeper: {@code unwillingToPerform}
 *                                 for a search, then a notice of disconnection and the connection is closed
 * @param maxConnectionsPerAddress simultaneous connections from one client address (0: no limit)
 */
public record LdapLimits(int maxMessageBytes, int maxNestingDepth, int maxConnectionsPerAddress) {
    /** 256 KiB messages, 32 levels, 32 connections per address. */
    public static final LdapLimits DEFAULTS = new LdapLimits(256 * 1024, 32, 32);

    public LdapLimits {
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1024: " + maxMessageBytes);
        }
        if (maxNestingDepth < 4) {
            throw new IllegalArgumentException("maxNestingDepth must be at least 4: " + maxNestingDepth);
        }
        if (maxConnectionsPerAddress < 0) {
            throw new IllegalArgumentException("maxConnectionsPerAddress must not be negative: " + maxConnectionsPerAddress);
        }
    }
}
