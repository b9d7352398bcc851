package fr.mssante.operator.directory.parse;

import java.util.function.LongConsumer;

/** Open-addressing set of longs (line fingerprints), about 16 bytes per entry instead of 60 for a HashSet<Long>. */
public final class LongHashSet {

    private long[] table = new long[1 << 16];
    private boolean hasZero;
    private int size;

    public LongHashSet() {
    }

    /** Adds the value; false if it was already present. */
    public boolean add(long value) {
        if (value == 0) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        if (size * 2 >= table.length) {
            grow();
        }
        if (insert(table, value)) {
            size++;
            return true;
        }
        return false;
    }

    public boolean contains(long value) {
        if (value == 0) {
            return hasZero;
        }
        int mask = table.length - 1;
        int i = (int) (mix(value) & mask);
        while (table[i] != 0) {
            if (table[i] == value) {
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    public int size() {
        return size + (hasZero ? 1 : 0);
    }

    /** Calls the action for each value, in no particular order. */
    public void forEach(LongConsumer action) {
        if (hasZero) {
            action.accept(0);
        }
        for (long v : table) {
            if (v != 0) {
                action.accept(v);
            }
        }
    }

    private static boolean insert(long[] t, long value) {
        int mask = t.length - 1;
        int i = (int) (mix(value) & mask);
        while (t[i] != 0) {
            if (t[i] == value) {
                return false;
            }
            i = (i + 1) & mask;
        }
        t[i] = value;
        return true;
    }

    private void grow() {
        long[] bigger = new long[table.length * 2];
        for (long v : table) {
            if (v != 0) {
                insert(bigger, v);
            }
        }
        table = bigger;
    }

    private static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        return x;
    }
}
