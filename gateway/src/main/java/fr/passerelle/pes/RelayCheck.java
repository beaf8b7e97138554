package fr.passerelle.pes;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import fr.passerelle.document.Rejection;
import fr.passerelle.tenant.Commune;
import fr.passerelle.xml.XmlLimits;
import fr.passerelle.xml.XmlScan;

/**
 * What a tiers de télétransmission checks on a PES_Aller posted by a commune's accounting software
 * before it signs and sends it: schema, encoding, NomFic (present, never used before), the header
 * naming the commune that posted it, PJ references that Hélios can resolve, size. All problems are
 * returned at once (an accountant fixes them in one go), each with a French message naming the
 * element and its line. Two streaming passes over the file: constant memory whatever its size.
 */
public final class RelayCheck {

    /** Tiers platforms cap flows around 100–128 MB: 100 MiB keeps a margin under every one of them. */
    public static final long DEFAULT_MAX_BYTES = 100L * 1024 * 1024;

    static final String LAYER = "pes";

    private final long maxBytes;
    private final XmlLimits limits;

    public RelayCheck() {
        this(DEFAULT_MAX_BYTES);
    }

    public RelayCheck(long maxBytes) {
        this(maxBytes, XmlLimits.PES);
    }

    /** @param limits the PES XML limits, checked in a streaming pre-pass before the schema validation */
    public RelayCheck(long maxBytes, XmlLimits limits) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        this.maxBytes = maxBytes;
        this.limits = limits;
    }

    /**
     * Checks a PES_Aller posted by {@code commune}.
     *
     * @param nomFicSeen    true for a NomFic this commune has already sent
     * @param idUniqueKnown true for a PJ IdUnique already sent to Hélios for this commune
     * @return every problem found; empty when the flow may be signed and sent
     */
    public List<Rejection> check(Path flow, Commune commune, Predicate<String> nomFicSeen,
                                 Predicate<String> idUniqueKnown) throws IOException {
        List<Rejection> problems = new ArrayList<>();
        long size = Files.size(flow);
        if (size > maxBytes) {
            problems.add(new Rejection(LAYER, "PES-SIZE", null, "Le flux pèse " + megabytes(size)
                    + " Mo, au-delà des " + megabytes(maxBytes) + " Mo acceptés par la plateforme de télétransmission : "
                    + "découpez-le en plusieurs flux (moins de bordereaux ou de PJ par flux)."));
        }
        encoding(flow, problems);
        // the bounds first, streaming: the schema validator and the readers below only see a flow within them
        XmlScan.Result scan;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(flow), 1 << 16)) {
            scan = XmlScan.scan(in, limits);
        }
        if (!scan.wellFormed() && scan.problem().rule().startsWith("LIMIT-")) {
            Rejection limit = scan.problem();
            problems.add(new Rejection(LAYER, limit.rule(), limit.location(), limit.message()));
            return problems;
        }

        XsdReport xsd = PesSchemas.validate(PesSchemas.aller(), flow);
        xsd.errors().forEach(e -> problems.add(e.rejection()));
        if (xsd.truncated()) {
            problems.add(new Rejection(LAYER, "PES-XSD", null, "… et " + (xsd.errorCount() - xsd.errors().size())
                    + " autres erreurs de schéma non détaillées : corrigez d'abord celles ci-dessus."));
        }
        if (!xsd.wellFormed()) {
            return problems; // nothing more can be read from it
        }
        PesFacts facts;
        try {
            facts = PesFacts.read(flow);
        } catch (XMLStreamException e) {
            problems.add(new Rejection(LAYER, "PES-XSD", e.getLocation() == null ? null : "ligne " + e.getLocation().getLineNumber(),
                    "Le fichier n'est pas un XML lisible : " + e.getMessage()));
            return problems;
        }
        nomFic(facts, nomFicSeen, problems);
        header(facts, commune, problems);
        pieces(facts, idUniqueKnown, problems);
        return problems;
    }

    private static void encoding(Path flow, List<Rejection> problems) throws IOException {
        String declared;
        try (InputStream in = Files.newInputStream(flow)) {
            XMLStreamReader r = PesXml.stax().createXMLStreamReader(in); // reads the XML declaration only
            declared = r.getCharacterEncodingScheme();
            r.close();
        } catch (XMLStreamException e) {
            return; // not XML at all: the schema check says so
        }
        if (declared == null || !declared.toUpperCase(Locale.ROOT).equals("ISO-8859-1")) {
            problems.add(new Rejection(LAYER, "PES-ENCODING", "ligne 1", (declared == null
                    ? "Le flux ne déclare pas son encodage"
                    : "Le flux est déclaré en « " + declared + " »")
                    + " : la plateforme de télétransmission n'accepte que l'ISO-8859-1. Le logiciel comptable doit "
                    + "produire le fichier en ISO-8859-1 et commencer par <?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>."));
        }
    }

    private static void nomFic(PesFacts facts, Predicate<String> nomFicSeen, List<Rejection> problems) {
        PesFacts.Value nomFic = facts.nomFic();
        if (nomFic == null || nomFic.value().isBlank()) {
            problems.add(new Rejection(LAYER, "PES-NOMFIC", nomFic == null ? null : line(nomFic),
                    "Le flux n'a pas de nom (élément Enveloppe/Parametres/NomFic absent ou vide) : sans NomFic, "
                    + "l'acquittement d'Hélios ne peut pas être rapproché du flux."));
        } else if (nomFicSeen.test(nomFic.value())) {
            problems.add(new Rejection(LAYER, "PES-NOMFIC-DOUBLON", line(nomFic), "Un flux nommé « " + nomFic.value()
                    + " » (élément NomFic) a déjà été envoyé pour cette commune : un flux ne part jamais deux fois. "
                    + "S'il s'agit d'un nouveau flux, le logiciel comptable doit lui donner un autre NomFic."));
        }
    }

    private static void header(PesFacts facts, Commune commune, List<Rejection> problems) {
        String who = "la commune " + commune.name();
        mismatch(problems, "PES-IDCOLL", "IdColl", facts.idColl(), commune.siret().equals(PesFacts.valueOf(facts.idColl())),
                "le SIRET de " + who + " est " + commune.siret());
        mismatch(problems, "PES-CODCOL", "CodCol", facts.codCol(), commune.codCol().equals(PesFacts.valueOf(facts.codCol())),
                "le code collectivité de " + who + " est " + commune.codCol());
        mismatch(problems, "PES-CODBUD", "CodBud", facts.codBud(),
                commune.codBuds() != null && commune.codBuds().contains(PesFacts.valueOf(facts.codBud())),
                "les budgets de " + who + " sont " + String.join(", ", commune.codBuds() == null ? List.of() : commune.codBuds()));
        mismatch(problems, "PES-IDPOST", "IdPost", facts.idPost(), commune.idPost().equals(PesFacts.valueOf(facts.idPost())),
                "le poste comptable de " + who + " est " + commune.idPost());
    }

    private static void mismatch(List<Rejection> problems, String rule, String element, PesFacts.Value found, boolean ok,
                                 String expected) {
        if (ok) {
            return;
        }
        String what = found == null ? "est absent" : "vaut « " + found.value() + " »";
        problems.add(new Rejection(LAYER, rule, found == null ? null : line(found), "L'élément EnTetePES/" + element + " "
                + what + " alors que " + expected + " : ce flux ne correspond pas à la commune qui l'a déposé. "
                + "Vérifiez le paramétrage du logiciel comptable (collectivité, budget, poste comptable)."));
    }

    private static void pieces(PesFacts facts, Predicate<String> idUniqueKnown, List<Rejection> problems) {
        Set<String> carried = new HashSet<>();
        for (PesFacts.Value pj : facts.pjIdUniques()) {
            if (!carried.add(pj.value())) {
                problems.add(new Rejection(LAYER, "PES-PJ-DOUBLON", line(pj), "L'IdUnique « " + pj.value()
                        + " » est porté par plusieurs PJ de ce flux (PES_PJ/PJ/IdUnique) : chaque PJ doit avoir son propre IdUnique."));
            } else if (idUniqueKnown.test(pj.value())) {
                problems.add(new Rejection(LAYER, "PES-PJ-DOUBLON", line(pj), "La PJ d'IdUnique « " + pj.value()
                        + " » (PES_PJ/PJ/IdUnique) a déjà été envoyée à Hélios, qui la rejetterait (erreur 1984 : "
                        + "« L'identifiant unique de la PJ a déjà été intégré dans HELIOS »). Donnez-lui un nouvel IdUnique, "
                        + "ou retirez-la du flux si c'est la même pièce."));
            }
        }
        for (PesFacts.Value ref : facts.pjRefIdUniques()) {
            if (!carried.contains(ref.value()) && !idUniqueKnown.test(ref.value())) {
                problems.add(new Rejection(LAYER, "PES-PJREF", line(ref), "Une pièce référence la PJ d'IdUnique « "
                        + ref.value() + " » (PJRef/IdUnique, ligne " + ref.line() + ") qui n'est ni dans ce flux (PES_PJ) "
                        + "ni dans un flux déjà envoyé pour la commune : le comptable ne trouverait pas la pièce justificative. "
                        + "Joignez la PJ au flux ou corrigez l'IdUnique."));
            }
        }
    }

    private static String line(PesFacts.Value v) {
        return "ligne " + v.line();
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.FRANCE, "%.1f", bytes / (1024.0 * 1024.0));
    }
}
