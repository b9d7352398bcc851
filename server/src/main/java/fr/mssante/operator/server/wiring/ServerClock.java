package fr.mssante.operator.server.wiring;

import java.time.Clock;

import com.google.inject.AbstractModule;

/**
 * The server's one clock. {@link #system()} is the only place of the server's main code that reads the system clock;
 * {@code MssRuntime} binds the clock it is started with in Guice ({@code Clock} is injected into mailets, routes,
 * hooks and the libraries' services) and hands it to what it builds itself (daily jobs, development material).
 * Tests start the runtime with a clock of their own (test-support's {@code MutableClock}) to freeze time.
 * {@code TimeSourceTest} keeps every other read of "now" out of main code.
 */
public final class ServerClock extends AbstractModule {
    private final Clock clock;

    public ServerClock(Clock clock) {
        this.clock = clock;
    }

    /** The system clock, in UTC: what a production server runs on. */
    public static Clock system() {
        return Clock.systemUTC();
    }

    @Override
    protected void configure() {
        bind(Clock.class).toInstance(clock);
    }
}
