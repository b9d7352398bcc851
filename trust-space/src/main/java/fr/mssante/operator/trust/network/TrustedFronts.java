package fr.mssante.operator.trust.network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The TCP fronts (HAProxy…) allowed to tell a listener who its client is with a PROXY protocol header: IPv4 and IPv6
 * addresses and CIDR ranges, written literally ({@code 10.0.0.5, 192.0.2.0/24, fd00::/8}). Host names are refused:
 * the list decides whose word about a client address is believed, it must not depend on a DNS answer.
 */
public final class TrustedFronts {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final List<Range> ranges;
    private final String text;

    private TrustedFronts(List<Range> ranges, String text) {
        this.ranges = List.copyOf(ranges);
        this.text = text;
    }

    /**
     * Parses a comma- or space-separated list.
     *
     * @throws IllegalArgumentException naming the entry that is neither an IP address nor a CIDR range
     */
    public static TrustedFronts parse(String list) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : list.trim().split("[,\\s]+")) {
            if (!entry.isEmpty()) {
                ranges.add(Range.parse(entry));
            }
        }
        return new TrustedFronts(ranges, String.join(", ", ranges.stream().map(Range::toString).toList()));
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** Whether a connection from {@code peer} (its TCP source address) comes from a trusted front. */
    public boolean contains(InetAddress peer) {
        return ranges.stream().anyMatch(range -> range.contains(peer));
    }

    @Override
    public String toString() {
        return text;
    }

    private record Range(byte[] network, int prefix, String text) {
        static Range parse(String entry) {
            int slash = entry.indexOf('/');
            String address = slash < 0 ? entry : entry.substring(0, slash);
            byte[] bytes = literal(address, entry);
            int bits = bytes.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("'" + entry + "': the prefix length must be 0 to " + bits);
                }
            }
            return new Range(mask(bytes, prefix), prefix, entry);
        }

        private static byte[] literal(String address, String entry) {
            if (!IPV4.matcher(address).matches() && !IPV6.matcher(address).matches()) {
                throw new IllegalArgumentException("'" + entry + "' is not an IP address or a CIDR range (no host names)");
            }
            if (IPV4.matcher(address).matches()) {
                for (String octet : address.split("\\.")) {
                    if (Integer.parseInt(octet) > 255) {
                        throw new IllegalArgumentException("'" + entry + "' is not an IP address or a CIDR range");
                    }
                }
            }
            try {
                // a literal: no DNS query is made
                return InetAddress.getByName(address).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + entry + "' is not an IP address or a CIDR range", e);
            }
        }

        private static byte[] mask(byte[] address, int prefix) {
            byte[] masked = address.clone();
            for (int i = 0; i < masked.length; i++) {
                int keep = Math.max(0, Math.min(8, prefix - i * 8));
                masked[i] = (byte) (masked[i] & (0xFF00 >> keep));
            }
            return masked;
        }

        boolean contains(InetAddress peer) {
            byte[] candidate = peer.getAddress();
            return candidate.length == network.length && Arrays.equals(mask(candidate, prefix), network);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
