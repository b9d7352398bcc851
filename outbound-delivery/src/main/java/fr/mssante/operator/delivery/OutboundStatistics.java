package fr.mssante.operator.delivery;

/** TLS handshakes made and mail transactions carried since start: their ratio measures connection reuse. */
public record OutboundStatistics(long handshakes, long transactions) {
    public double messagesPerHandshake() {
        return handshakes == 0 ? 0 : (double) transactions / handshakes;
    }
}
