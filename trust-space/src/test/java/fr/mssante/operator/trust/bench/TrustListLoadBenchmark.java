package fr.mssante.operator.trust.bench;

import fr.mssante.operator.trust.dn.DistinguishedName;
import fr.mssante.operator.trust.list.TrustList;
import fr.mssante.operator.trust.list.TrustListEntry;
import fr.mssante.operator.trust.list.TrustListParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Manual benchmark (not a test): parse time of the shared liste blanche snapshot and lookup throughput.
 * Run from the module directory after {@code mvn -pl trust-space test-compile}:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) fr.mssante.operator.trust.bench.TrustListLoadBenchmark
 * [path]} (cp.txt from {@code mvn dependency:build-classpath -Dmdep.outputFile=cp.txt}).
 */
public final class TrustListLoadBenchmark {
    private TrustListLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0]
                : "../../shared/fixtures/trust-list/listeblanchemssante-2025-03-13.xml");
        byte[] doc = Files.readAllBytes(file);
        TrustListParser parser = new TrustListParser();
        long cold = System.nanoTime();
        TrustList list = parser.parse(doc);
        long coldMs = (System.nanoTime() - cold) / 1_000_000;
        long[] runs = new long[20];
        for (int i = 0; i < runs.length; i++) {
            long t = System.nanoTime();
            list = parser.parse(doc);
            runs[i] = (System.nanoTime() - t) / 1_000_000;
        }
        Arrays.sort(runs);
        List<TrustListEntry> entries = list.entries();
        DistinguishedName[] dns = entries.stream().map(e -> DistinguishedName.parse(e.dn().original()))
                .toArray(DistinguishedName[]::new);
        int hits = 0;
        int lookups = 2_000_000;
        long t = System.nanoTime();
        for (int i = 0; i < lookups; i++) {
            TrustListEntry e = entries.get(i % entries.size());
            if (list.isListed(e.domain(), dns[i % dns.length])) {
                hits++;
            }
        }
        long lookupNs = (System.nanoTime() - t) / lookups;
        System.out.printf("entries=%d domains=%d bytes=%d%n", list.entryCount(), list.domainCount(), doc.length);
        System.out.printf("parse: cold %d ms, warm median %d ms, min %d ms, max %d ms%n", coldMs, runs[runs.length / 2],
                runs[0], runs[runs.length - 1]);
        System.out.printf("lookup (domain, DN): %d ns/op (%d hits)%n", lookupNs, hits);
    }
}
