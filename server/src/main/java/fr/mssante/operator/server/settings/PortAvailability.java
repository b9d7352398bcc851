package fr.mssante.operator.server.settings;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/**
 * Before anything starts, each fixed port this process will listen on is bound once and released: a port another
 * process holds stops start-up with a message naming the setting, instead of a listener failing later (James's
 * WebAdmin waits for ever when its port is taken, leaving a half-started server that never says "ready").
 */
public final class PortAvailability {
    private PortAvailability() {
    }

    public static void requireFree(List<ServerSettings.Listener> listeners) {
        for (ServerSettings.Listener listener : listeners) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(listener.address(), listener.number()));
            } catch (IOException e) {
                throw new InvalidSettingException(listener.port(), listener.address() + ":" + listener.number()
                    + " cannot be listened on (" + e.getMessage() + "): another process holds it, or the address is not"
                    + " this machine's; free it or choose another port");
            }
        }
    }
}
