package fr.aisne.hub.connector.ouiform.lheo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Enumeration;
import java.util.NoSuchElementException;

/**
 * LHEO 2.3 documents for the tests, valid against lheo-2.3.xsd and written like the Carif-Oref's file (the contract's
 * own example is the model), and a generator of large catalogues streamed without ever being held in memory.
 */
public final class LheoFixtures {
    public static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<lheo xmlns=\"http://lheo.gouv.fr/2.3\">\n<offres>\n";
    public static final String TAIL = "</offres>\n</lheo>\n";

    private LheoFixtures() {
    }

    /** The contract's example files (docs/contracts/ouiform/examples/...). */
    public static Path example(String relative) {
        return Paths.get(System.getProperty("ouiform.contract.dir", "../../../docs/contracts/ouiform"), "examples", relative);
    }

    public static byte[] exampleBytes(String relative) throws IOException {
        return Files.readAllBytes(example(relative));
    }

    /** A session element. */
    public static String session(String numero, String debut, String fin, String etat) {
        return "<session" + (numero == null ? "" : " numero=\"" + numero + "\"") + "><periode><debut>" + debut
                + "</debut><fin>" + fin + "</fin></periode><adresse-inscription><adresse><ligne>1 rue Haute</ligne>"
                + "<codepostal>02000</codepostal><ville>Laon</ville></adresse></adresse-inscription>"
                + (etat == null ? "" : "<etat-recrutement>" + etat + "</etat-recrutement>") + "</session>\n";
    }

    /** An action element, its main place in {@code ville} ({@code cp}, {@code insee}), its sessions, price and extras. */
    public static String action(String numero, String cp, String ville, String insee, String prix, String hebdo,
            String... sessions) {
        return "<action numero=\"" + numero + "\" datemaj=\"00000000\"><rythme-formation>Temps plein</rythme-formation>"
                + "<code-public-vise>80056</code-public-vise><niveau-entree-obligatoire>0</niveau-entree-obligatoire>"
                + "<modalites-alternance>Non renseigné</modalites-alternance><modalites-enseignement>0</modalites-enseignement>"
                + "<conditions-specifiques>&lt;p&gt;Être inscrit à France Travail.&lt;/p&gt;</conditions-specifiques>"
                + "<prise-en-charge-frais-possible>1</prise-en-charge-frais-possible>"
                + "<lieu-de-formation><coordonnees><adresse><ligne>Annexe</ligne><codepostal>02300</codepostal>"
                + "<ville>Chauny</ville></adresse></coordonnees></lieu-de-formation>"
                + "<lieu-de-formation tag=\"principal\"><coordonnees><adresse><ligne>12 rue de la Formation</ligne>"
                + "<codepostal>" + cp + "</codepostal><ville>" + ville + "</ville>"
                + (insee == null ? "" : "<code-INSEE-commune>" + insee + "</code-INSEE-commune>")
                + "</adresse></coordonnees></lieu-de-formation><modalites-entrees-sorties>0</modalites-entrees-sorties>\n"
                + String.join("", sessions)
                + (prix == null ? "" : "<prix-total-TTC>" + prix + "</prix-total-TTC>")
                + "<nombre-heures-total>420</nombre-heures-total>"
                + (hebdo == null ? "" : "<extras info=\"duree-hebdo\"><extra info=\"duree-hebdo\">" + hebdo + "</extra></extras>")
                + "</action>\n";
    }

    /** A formation element with its actions and its organisation (given after the actions, as LHEO orders it). */
    public static String formation(String numero, String intitule, String objectif, String siret, String... actions) {
        return "<formation numero=\"" + numero + "\" datemaj=\"20261201\" datecrea=\"20251208\"><domaine-formation>"
                + "<code-FORMACODE>42811</code-FORMACODE><code-ROME>K2204</code-ROME></domaine-formation>"
                + "<intitule-formation>" + intitule + "</intitule-formation><objectif-formation>" + objectif
                + "</objectif-formation><resultats-attendus>Non renseigné</resultats-attendus>"
                + "<contenu-formation><![CDATA[<ul><li>Module 1</li></ul>]]></contenu-formation><certifiante>1</certifiante>"
                + "<contact-formation><coordonnees><courriel>contact@of.example</courriel></coordonnees></contact-formation>"
                + "<parcours-de-formation>1</parcours-de-formation><code-niveau-entree>0</code-niveau-entree>\n"
                + String.join("", actions)
                + "<organisme-formation-responsable><numero-activite>32020000101</numero-activite>"
                + "<SIRET-organisme-formation><SIRET>" + siret + "</SIRET></SIRET-organisme-formation>"
                + "<nom-organisme>Organisme (fictif)</nom-organisme><raison-sociale>Organisme de formation (fictif)</raison-sociale>"
                + "<coordonnees-organisme><coordonnees><courriel>of@of.example</courriel></coordonnees></coordonnees-organisme>"
                + "<contact-organisme><coordonnees><courriel>of@of.example</courriel></coordonnees></contact-organisme>"
                + "</organisme-formation-responsable></formation>\n";
    }

    public static String document(String... formations) {
        return HEAD + String.join("", formations) + TAIL;
    }

    public static InputStream stream(String xml) {
        return new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A catalogue of {@code formations} formations of 2 actions (sharing one numero, as the regional file does) of
     * {@code sessionsPerAction} sessions each, generated as it is read: nothing of it is held in memory.
     */
    public static InputStream large(int formations, int sessionsPerAction) {
        Enumeration<InputStream> parts = new Enumeration<>() {
            private int next = -1;

            @Override
            public boolean hasMoreElements() {
                return next <= formations;
            }

            @Override
            public InputStream nextElement() {
                if (!hasMoreElements()) {
                    throw new NoSuchElementException();
                }
                int i = next++;
                if (i < 0) {
                    return stream(HEAD);
                }
                if (i == formations) {
                    return stream(TAIL);
                }
                String[] s1 = new String[sessionsPerAction];
                String[] s2 = new String[sessionsPerAction];
                for (int k = 0; k < sessionsPerAction; k++) {
                    s1[k] = session("02_SE_" + i + "_A" + k, "2027" + String.format("%02d", 1 + k % 12) + "00", "99999999", "1");
                    s2[k] = session("02_SE_" + i + "_B" + k, "00000000", "20271231", k % 3 == 0 ? "2" : "1");
                }
                return stream(formation("02_AF_" + i, "Formation &lt;b&gt;" + i + "&lt;/b&gt; d'agent polyvalent",
                        "&lt;p&gt;Objectif de la formation " + i + "&lt;/p&gt;", "12345678900017",
                        action("02_AC_" + i, "02000", "Laon", "02408", (1000 + i % 5000) + ",50", "35", s1),
                        action("02_AC_" + i, "02100", "Saint-Quentin", null, "sur devis", "24,5", s2)));
            }
        };
        return new SequenceInputStream(parts);
    }
}
