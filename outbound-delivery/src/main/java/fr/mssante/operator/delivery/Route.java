package fr.mssante.operator.delivery;

/** Where mail for a domain is delivered: an MX host and port. */
public record Route(String host, int port) {
    public static Route parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            return new Route(hostPort.trim(), 25);
        }
        return new Route(hostPort.substring(0, colon).trim(), Integer.parseInt(hostPort.substring(colon + 1).trim()));
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
