package fr.mssante.operator.delivery;

import java.util.List;

/** The mail exchangers of a domain, most preferred first (DNS MX; James's DNS service in the server). */
@FunctionalInterface
public interface MxResolver {
    List<String> mxHosts(String domain) throws Exception;
}
