package fr.mssante.operator.server.scaleout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.awaitility.Awaitility;

import fr.mssante.operator.testsupport.RequiredTools;

/**
 * The Debian {@code activemq} broker (ActiveMQ Classic 5.17) as its own process, on a free loopback port, with its own
 * KahaDB data directory (journal synced on every persistent send, the broker's default): what an operator runs as
 * the nodes' shared mail queue. Missing package: the test is skipped, or fails under MSS_REQUIRE_PEERS=true.
 */
public final class ActiveMqBroker implements AutoCloseable {
    public static final Path JAR = Path.of("/usr/share/activemq/bin/activemq.jar");

    private final Process process;
    private final int port;

    private ActiveMqBroker(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static void require() {
        // a jar run by java, not an executable: a condition rather than a tool
        RequiredTools.requireThat(Files.isRegularFile(JAR), JAR + " is not installed (Debian package activemq)");
    }

    public static ActiveMqBroker start(Path directory) throws IOException {
        require();
        Files.createDirectories(directory);
        int port = freePort();
        Path data = directory.resolve("data");
        String uri = "broker:(tcp://127.0.0.1:" + port + ")?useJmx=false&persistent=true&brokerName=mss-shared"
            + "&dataDirectory=" + data;
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
            "-Dactivemq.home=/usr/share/activemq", "-Dactivemq.base=" + directory, "-Dactivemq.data=" + data,
            "-jar", JAR.toString(), "start", uri);
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("broker.log").toFile())).start();
        ActiveMqBroker broker = new ActiveMqBroker(process, port);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("ActiveMQ exited, see " + directory.resolve("broker.log"));
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** The OpenWire URL the nodes are given (MSS_QUEUE_URL). */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ports already handed out in this JVM: the kernel may offer a just-closed port again (it did, 2026-12-07). */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /** A free port never handed out before by this JVM (two settings of one node once got the same port). */
    static int freePort() throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
    }
}
