package fr.passerelle.treasury.simulator;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import fr.passerelle.pes.PesFacts;
import fr.passerelle.pes.PesSchemas;
import fr.passerelle.pes.XsdReport;
import fr.passerelle.signature.PesDocumentException;
import fr.passerelle.signature.SignatureCheck;
import fr.passerelle.signature.SignatureVerifier;
import fr.passerelle.signature.VerificationReport;
import fr.passerelle.treasury.SiteCommands;

/**
 * What the simulated Hélios decides about one delivered flow, in the order Hélios checks:
 * encoding and schema, the SITE parameters (FTP), the signatures, then duplicates. A flow
 * refused by one of the first three, or whose NomFic was integrated before, integrates nothing.
 */
final class FlowChecks {

    static final String DOUBLON_PJ = "1984 - L'identifiant unique de la PJ a déjà été intégré dans HELIOS";
    private static final DateTimeFormatter FRENCH_DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy").withZone(ZoneOffset.UTC);

    /** The acquittement to write and what to integrate ({@code integrate} false: nothing). */
    record Verdict(AckHeader header, List<AckElement> elements, boolean integrate, String nomFic,
                   List<String> acceptedIdUniques) {

        boolean ok() {
            return elements.stream().allMatch(AckElement::ok);
        }
    }

    private final IntegratedState state;
    private final SignatureVerifier verifier;
    private final Clock clock;

    FlowChecks(IntegratedState state, Clock clock) {
        this.state = state;
        this.clock = clock;
        this.verifier = new SignatureVerifier(clock);
    }

    /**
     * @param site the SITE parameters of the FTP session that delivered it; null over SFTP
     */
    Verdict check(Path file, String fileName, Map<String, String> site) throws IOException {
        AckHeader header = AckHeader.read(file, fileName);
        PesFacts facts;
        try {
            facts = PesFacts.read(file);
        } catch (Exception e) {
            facts = null;
        }
        XsdReport xsd = PesSchemas.validate(PesSchemas.aller(), file);
        if (facts != null && !"ISO-8859-1".equalsIgnoreCase(facts.declaredEncoding())) {
            return refused(header, AckElement.ko(0, "ERREUR_ENCODING", "Le fichier doit être encodé en ISO-8859-1 "
                    + "(encodage déclaré : " + (facts.declaredEncoding() == null ? "aucun" : facts.declaredEncoding()) + ")"));
        }
        if (facts == null || !xsd.valid()) {
            String first = xsd.errors().isEmpty() ? "fichier illisible" : xsd.errors().get(0).french();
            return refused(header, AckElement.ko(0, "ERREUR_SCHEMA_INCOMPLET", first));
        }
        String nomFic = PesFacts.valueOf(facts.nomFic());
        if (site != null) {
            String expected = SiteCommands.pMsg(PesFacts.valueOf(facts.codCol()), PesFacts.valueOf(facts.idPost()),
                    PesFacts.valueOf(facts.codBud()));
            String appli = site.get(SiteCommands.P_APPLI);
            String msg = site.get(SiteCommands.P_MSG);
            if (!SiteCommands.GHELPES2.equals(appli)) {
                return refused(header, AckElement.ko(0, "ERREUR_PES_PARAM", "Paramètre P_APPLI incorrect : "
                        + SiteCommands.GHELPES2 + " attendu, " + received(appli)));
            }
            if (!expected.equals(msg)) {
                return refused(header, AckElement.ko(0, "ERREUR_PES_PARAM", "Paramètre P_MSG incorrect : " + expected
                        + " attendu (CodCol, IdPost et CodBud de l'en-tête du fichier), " + received(msg)));
            }
        }
        AckElement signature = signature(file, facts);
        if (signature != null) {
            return refused(header, signature);
        }
        return duplicates(header, facts, nomFic);
    }

    private static String received(String value) {
        return value == null ? "paramètre non reçu" : "reçu : " + value;
    }

    private static Verdict refused(AckHeader header, AckElement element) {
        return new Verdict(header, List.of(element), false, null, List.of());
    }

    /** Null when the signatures are acceptable: each valid, and either the whole flow or every Bordereau signed. */
    private AckElement signature(Path file, PesFacts facts) {
        VerificationReport report;
        try {
            report = verifier.verify(file);
        } catch (PesDocumentException e) {
            return AckElement.ko(1, "ERREUR_SIGNATURE_ILLISIBLE", "Signature illisible : " + e.getMessage());
        }
        if (report.signatures().isEmpty()) {
            return AckElement.ko(1, "ERREUR_SIGNATURE_INCOMPLETE", "Le flux n'est pas signé : chaque bordereau, "
                    + "ou le flux entier, doit porter la signature de l'ordonnateur");
        }
        if (!report.valid()) {
            return AckElement.ko(1, "ERREUR_SIGNATURE_INVALIDE", "Signature invalide - " + report.reason());
        }
        for (SignatureCheck s : report.signatures()) {
            if (s.certificateNotBefore() != null && clock.instant().isBefore(s.certificateNotBefore())) {
                return AckElement.ko(1, "ERREUR_SIGNATURE_INVALIDE", "Certificat de signature pas encore valide (à partir du "
                        + FRENCH_DATE.format(s.certificateNotBefore()) + ")");
            }
            if (s.certificateExpiredNow()) {
                return AckElement.ko(1, "ERREUR_SIGNATURE_INVALIDE", "Certificat de signature expiré le "
                        + FRENCH_DATE.format(s.certificateNotAfter()));
            }
        }
        if (facts.signedWhole()) {
            return null;
        }
        if (facts.bordereaux().isEmpty()) {
            return AckElement.ko(1, "ERREUR_SIGNATURE_INCOMPLETE", "Flux sans bordereau : la signature du flux entier "
                    + "est attendue");
        }
        for (PesFacts.Bordereau b : facts.bordereaux()) {
            if (!b.signed()) {
                return AckElement.ko(1, "ERREUR_SIGNATURE_INCOMPLETE", "Le bordereau " + b.idBord() + " (exercice "
                        + b.exer() + ") n'est pas signé");
            }
        }
        return null;
    }

    private Verdict duplicates(AckHeader header, PesFacts facts, String nomFic) {
        List<AckElement> elements = new ArrayList<>();
        if (state.nomFicIntegrated(nomFic)) {
            String libelle = "Le fichier " + nomFic + " a déjà été intégré dans HELIOS";
            for (PesFacts.Bordereau b : facts.bordereaux()) {
                elements.add(AckElement.bordereau(domaine(b), b.idBord(), b.exer(), "ERREUR_DOUBLON_BORDEREAU", libelle));
            }
            if (elements.isEmpty()) {
                elements.add(AckElement.ko(0, "ERREUR_DOUBLON_BORDEREAU", libelle));
            }
            return new Verdict(header, elements, false, nomFic, List.of());
        }
        for (PesFacts.Bordereau b : facts.bordereaux()) {
            elements.add(AckElement.bordereau(domaine(b), b.idBord(), b.exer(), null, null));
        }
        List<String> accepted = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (PesFacts.Value pj : facts.pjIdUniques()) {
            String id = pj.value();
            if (state.idUniqueIntegrated(id) || !seen.add(id)) {
                elements.add(AckElement.pj(id, "ERREUR_DOUBLON_PJ", DOUBLON_PJ));
            } else {
                elements.add(AckElement.pj(id, null, null));
                accepted.add(id);
            }
        }
        if (elements.isEmpty()) {
            elements.add(new AckElement(0, true, null, null, null, null, null)); // nothing itemised (PES_Facture, PES_Marche…)
        }
        return new Verdict(header, elements, true, nomFic, accepted);
    }

    private static int domaine(PesFacts.Bordereau b) {
        return "PES_RecetteAller".equals(b.domain()) ? 6 : 5;
    }
}
