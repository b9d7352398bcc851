package fr.mssante.operator.directory.parse;

/** Open-addressing set of longs (line fingerprints), about 16 bytes per entry instead of 60 for a HashSet<Long>. */
final class LongHashSet {

    private long[] table = new long[1 << 16];
    private boolean hasZero;
    private int size;

    /** Adds the value; false if it was already present. */
    boolean add(long value) {
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
