package fr.mssante.operator.server.wiring;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Answers of a store that rarely changes, remembered per question for a while: what the caches of the mail path
 * (users, recipient rewrites) share. An answer is kept only when {@code worthKeeping} says so (e.g. "this user
 * exists", never "unknown": a mailbox created on another node must not be refused meanwhile), never when a change was
 * made while it was read (it may predate the change), never when the read failed. Every change made through this
 * node forgets everything at once; another node sharing the database sees it after at most the time to live. At most
 * {@link #MAX_ANSWERS} are kept (beyond, all are forgotten: a bound, not an eviction policy).
 */
final class RememberedAnswers<K, V> {
    static final int MAX_ANSWERS = 50_000;

    /** Reads the answer from the store. */
    @FunctionalInterface
    interface Reader<V, E extends Exception> {
        V read() throws E;
    }

    private record Answer<V>(V value, long readAt) {
    }

    private final long timeToLive;
    private final LongSupplier nanoTime;
    private final Predicate<V> worthKeeping;
    private final Map<K, Answer<V>> answers = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();

    RememberedAnswers(Duration timeToLive, LongSupplier nanoTime, Predicate<V> worthKeeping) {
        this.timeToLive = timeToLive.toNanos();
        this.nanoTime = nanoTime;
        this.worthKeeping = worthKeeping;
    }

    /** The remembered answer, or the store's (remembered if worth it). */
    <E extends Exception> V get(K question, Reader<V, E> store) throws E {
        Optional<V> fresh = fresh(question);
        if (fresh.isPresent()) {
            return fresh.get();
        }
        Reading reading = startReading();
        V value = store.read();
        reading.keep(question, value);
        return value;
    }

    Optional<V> fresh(K question) {
        Answer<V> answer = answers.get(question);
        if (answer != null && nanoTime.getAsLong() - answer.readAt() < timeToLive) {
            return Optional.of(answer.value());
        }
        return Optional.empty();
    }

    /** For a read done elsewhere (a reactive one): taken before it starts, {@link Reading#keep} after. */
    Reading startReading() {
        return new Reading(nanoTime.getAsLong(), changes.get());
    }

    final class Reading {
        private final long readAt;
        private final long changesBefore;

        private Reading(long readAt, long changesBefore) {
            this.readAt = readAt;
            this.changesBefore = changesBefore;
        }

        void keep(K question, V value) {
            if (!worthKeeping.test(value) || changes.get() != changesBefore) {
                return;
            }
            if (answers.size() >= MAX_ANSWERS) {
                answers.clear();
            }
            Answer<V> answer = new Answer<>(value, readAt);
            answers.put(question, answer);
            if (changes.get() != changesBefore) {
                answers.remove(question, answer); // a change came between the check and the put
            }
        }
    }

    /** A change was made through this node: nothing remembered before it is used again. */
    void forgetAll() {
        changes.incrementAndGet();
        answers.clear();
    }
}
