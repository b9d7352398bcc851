package fr.mssante.operator.directory.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

import fr.mssante.operator.directory.load.ImportListener;
import fr.mssante.operator.directory.load.ImportProgress;

/** Renders import progress as one line rewritten in place (on a terminal) or a line every few seconds (in logs). */
final class ProgressLine implements ImportListener {

    private final PrintStream out;
    private final boolean terminal;
    private long lastPrint;
    private boolean printed;
    private int lastWidth;

    ProgressLine(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void onProgress(ImportProgress p) {
        long now = System.nanoTime();
        if (p.phase() == ImportProgress.Phase.LOADING && printed && now - lastPrint < (terminal ? 200_000_000L : 5_000_000_000L)) {
            return;
        }
        lastPrint = now;
        printed = true;
        String line = format(p);
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            lastWidth = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends the in-place line before the summary is printed. */
    void done() {
        if (terminal && lastWidth > 0) {
            out.println();
            lastWidth = 0;
        }
    }

    static String format(ImportProgress p) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%-10s %,12d rows %,10.0f rows/s", p.phase().name().toLowerCase(Locale.ROOT),
            p.rows(), p.rowsPerSecond()));
        if (p.totalBytes() > 0 && p.phase() == ImportProgress.Phase.LOADING) {
            s.append(String.format(Locale.ROOT, " %3d%%", p.bytesRead() * 100 / p.totalBytes()));
        }
        Duration eta = p.eta();
        if (eta != null) {
            s.append(String.format(Locale.ROOT, " ETA %d:%02d", eta.toMinutes(), eta.toSecondsPart()));
        }
        s.append(String.format(Locale.ROOT, " elapsed %d:%02d  %s", p.elapsed().toMinutes(), p.elapsed().toSecondsPart(),
            p.entry()));
        return s.toString();
    }
}
