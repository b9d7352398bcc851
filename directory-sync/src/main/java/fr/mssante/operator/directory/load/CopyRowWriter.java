package fr.mssante.operator.directory.load;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.postgresql.copy.CopyIn;

import fr.mssante.operator.directory.parse.CopyLineSink;

/**
 * Streams rows to a {@code COPY ... FROM STDIN} (text format). The encoded lines are gathered into 256 KiB chunks
 * that a second thread writes to the connection, so that parsing goes on while the socket is busy (PostgreSQL and
 * the parser then each keep a core).
 */
final class CopyRowWriter implements CopyLineSink {

    private static final int CHUNK = 1 << 18;
    private static final byte[] END = new byte[0];

    private final CopyIn copy;
    private byte[] buffer = new byte[CHUNK];
    private int length;
    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(8);
    private final Thread sender;
    private volatile Exception failure;

    CopyRowWriter(CopyIn copy) {
        this.copy = copy;
        this.sender = new Thread(this::send, "directory-copy");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    @Override
    public void accept(byte[] line, int offset, int count) throws IOException {
        if (length + count > buffer.length) {
            flush();
            if (count > buffer.length) {
                buffer = new byte[count];
            }
        }
        System.arraycopy(line, offset, buffer, length, count);
        length += count;
    }

    /** Sends the rest and ends the COPY; returns the row count the server reports. */
    long finish() throws IOException {
        flush();
        enqueue(END);
        join();
        rethrow();
        try {
            return copy.endCopy();
        } catch (SQLException e) {
            throw new IOException("COPY failed: " + e.getMessage(), e);
        }
    }

    void cancel() {
        sender.interrupt();
        try {
            sender.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException ignored) {
            // the generation table is dropped by the caller's error path anyway
        }
    }

    private void flush() throws IOException {
        if (length == 0) {
            return;
        }
        byte[] full = length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
        buffer = new byte[Math.max(CHUNK, buffer.length)];
        length = 0;
        enqueue(full);
    }

    private void enqueue(byte[] bytes) throws IOException {
        rethrow();
        try {
            while (!chunks.offer(bytes, 100, TimeUnit.MILLISECONDS)) {
                rethrow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void send() {
        try {
            while (true) {
                byte[] bytes = chunks.take();
                if (bytes == END) {
                    return;
                }
                copy.writeToCopy(bytes, 0, bytes.length);
            }
        } catch (SQLException | RuntimeException e) {
            failure = e;
        } catch (InterruptedException e) {
            failure = e;
        }
    }

    private void join() throws IOException {
        try {
            sender.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void rethrow() throws IOException {
        Exception e = failure;
        if (e != null) {
            throw new IOException("COPY failed: " + e.getMessage(), e);
        }
    }
}
