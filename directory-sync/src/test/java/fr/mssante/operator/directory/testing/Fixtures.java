package fr.mssante.operator.directory.testing;

import fr.mssante.operator.directory.synthetic.ExtractionHeaders;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Hand-written extraction lines for tests (synthetic people, real headers). */
public final class Fixtures {

    private Fixtures() {
    }

    public static String mailbox(String kind, String address, String nationalId, String last, String first,
                                 String professionCode, String profession, String specialtyCode, String specialty,
                                 String organisation, String postalCode, String city) {
        String[] f = new String[ExtractionHeaders.MSSANTE.size()];
        Arrays.fill(f, "");
        f[0] = kind;
        f[1] = address;
        f[4] = nz(nationalId);
        f[9] = nz(last);
        f[10] = nz(first);
        f[13] = nz(professionCode);
        f[14] = nz(profession);
        f[15] = nz(specialtyCode);
        f[16] = nz(specialty);
        f[18] = nz(organisation);
        f[27] = postalCode + " " + city;
        f[28] = postalCode;
        return String.join("|", f) + "|";
    }

    public static Path mailboxFile(Path dir, String name, List<String> lines) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, ExtractionHeaders.line(ExtractionHeaders.MSSANTE) + "\n" + String.join("\n", lines)
            + "\n", StandardCharsets.UTF_8);
        return file;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
