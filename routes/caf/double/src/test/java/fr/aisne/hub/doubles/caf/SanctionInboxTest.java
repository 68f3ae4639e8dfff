package fr.aisne.hub.doubles.caf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The CAF double takes the sanction request files of the format the hub proposes, and refuses others with the reason. */
public class SanctionInboxTest {
    private static final Charset CP1252 = Charset.forName("windows-1252");
    static final String ROW = "002;021;0123456;DEM;Testnom;;Zoé;1985-05-01;absence-rendez-vous;2027-05-07;"
            + "2027-05-10T16:00:00+02:00;ref.martin;AA-SAN-2027-000002";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static byte[] file(String... lines) {
        return (String.join("\r\n", lines) + "\r\n").getBytes(CP1252);
    }

    @Test
    public void theDocumentedFormatIsAcceptedAndEachBreachNamed() {
        assertNull(SanctionInbox.check(file(SanctionInbox.HEADER, ROW, "FIN;1")));
        assertTrue(SanctionInbox.check(file(SanctionInbox.HEADER, ROW, "FIN;2")).contains("line 3: the trailer"));
        assertTrue(SanctionInbox.check(file(SanctionInbox.HEADER, ROW.replace("absence-rendez-vous", "retard"), "FIN;1"))
                .contains("line 2: MOTIF"));
        assertTrue(SanctionInbox.check(file(SanctionInbox.HEADER, ROW.replaceFirst("^002", "059"), "FIN;1")).contains("IDEPARTE"));
        assertTrue(SanctionInbox.check(file(SanctionInbox.HEADER, ROW + ";x", "FIN;1")).contains("13 fields"));
        assertTrue(SanctionInbox.check((SanctionInbox.HEADER + "\n" + ROW + "\nFIN;1\n").getBytes(CP1252)).contains("CR LF"));
        assertTrue(SanctionInbox.check(new byte[] {(byte) 0x81, '\r', '\n'}).contains("windows-1252"));
    }

    @Test
    public void theContractsExampleIsAccepted() throws Exception {
        Path example = Path.of("../../../docs/contracts/aisne-actifs/v1/examples/caf-demande-sanction.csv");
        org.junit.Assume.assumeTrue("the contract's folder is beside the module", Files.exists(example));
        assertNull(SanctionInbox.check(Files.readAllBytes(example)));
    }

    @Test
    public void filesAreMovedToAcceptedOrRefusedWithTheReason() throws Exception {
        Path dir = tmp.newFolder("outbox").toPath();
        Files.write(dir.resolve("DEMSANC_002_20270510160000_a.csv"), file(SanctionInbox.HEADER, ROW, "FIN;1"));
        Files.write(dir.resolve("DEMSANC_002_20270510160000_b.csv"), file(SanctionInbox.HEADER, ROW, "FIN;3"));
        Files.write(dir.resolve(".DEMSANC_002_20270510160000_c.csv.tmp"), new byte[] {1});
        try (SanctionInbox inbox = new SanctionInbox(dir, 3600)) {
            inbox.scan();
            assertEquals(1, inbox.accepted.get());
            assertEquals(1, inbox.refused.get());
        }
        assertTrue(Files.exists(dir.resolve("accepted/DEMSANC_002_20270510160000_a.csv")));
        assertTrue(Files.readString(dir.resolve("refused/DEMSANC_002_20270510160000_b.csv.motif.txt")).contains("trailer"));
        assertTrue("a file being written is left alone", Files.exists(dir.resolve(".DEMSANC_002_20270510160000_c.csv.tmp")));
    }
}
