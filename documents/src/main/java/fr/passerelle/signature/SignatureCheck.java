package fr.passerelle.signature;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The facts of one ds:Signature of a PES and the verdict on it. {@code valid} is the signature
 * as Hélios judges it: digests and signature value intact, the certificate valid at the signing
 * time, a known DGFiP policy with its hash. A certificate expired since is reported on its own
 * ({@code certificateExpiredNow}): it does not make an old signature invalid. Reasons and
 * problems are in French, for the commune.
 *
 * @param signedElement   what the signature covers: Bordereau, PES_Aller…
 * @param signedId        the Id of that element (null for a whole document without Id)
 * @param wholeDocument   true for a Reference URI "" (the whole PES_Aller)
 * @param idBord          for a Bordereau, its IdBord and Exer (how acknowledgements name it)
 * @param problems        every problem found; {@code reason} is the first, null when valid
 */
public record SignatureCheck(
        String signatureId,
        String signedElement,
        String signedId,
        boolean wholeDocument,
        String idBord,
        String exer,
        String signer,
        String issuer,
        String serialNumber,
        Instant signingTime,
        String claimedRole,
        String policyOid,
        boolean policyKnown,
        boolean policyHashMatches,
        String signatureAlgorithm,
        String digestAlgorithm,
        List<String> transforms,
        int references,
        Instant certificateNotBefore,
        Instant certificateNotAfter,
        Boolean certificateValidAtSigningTime,
        boolean certificateExpiredNow,
        Long certificateDaysLeft,
        boolean valid,
        String reason,
        List<String> problems) {

    public SignatureCheck {
        transforms = transforms == null ? List.of() : List.copyOf(transforms);
        problems = List.copyOf(problems);
    }

    /** "Bordereau N10025", or "document entier" for a signature of the whole flow. */
    public String signedItem() {
        if (wholeDocument) {
            return "document entier" + (signedId == null ? "" : " (" + signedElement + " " + signedId + ")");
        }
        return signedElement + (signedId == null ? "" : " " + signedId);
    }

    /** The check with stable field names, for JSON. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("signatureId", signatureId);
        m.put("signed", signedItem());
        m.put("signedElement", signedElement);
        m.put("signedId", signedId);
        m.put("wholeDocument", wholeDocument);
        m.put("idBord", idBord);
        m.put("exer", exer);
        m.put("valid", valid);
        m.put("reason", reason);
        m.put("problems", problems);
        m.put("signer", signer);
        m.put("issuer", issuer);
        m.put("serialNumber", serialNumber);
        m.put("signingTime", string(signingTime));
        m.put("claimedRole", claimedRole);
        m.put("policyOid", policyOid);
        m.put("policyKnown", policyKnown);
        m.put("policyHashMatches", policyHashMatches);
        m.put("signatureAlgorithm", signatureAlgorithm);
        m.put("digestAlgorithm", digestAlgorithm);
        m.put("transforms", transforms);
        m.put("references", references);
        m.put("certificateNotBefore", string(certificateNotBefore));
        m.put("certificateNotAfter", string(certificateNotAfter));
        m.put("certificateValidAtSigningTime", certificateValidAtSigningTime);
        m.put("certificateExpiredNow", certificateExpiredNow);
        m.put("certificateDaysLeft", certificateDaysLeft);
        return m;
    }

    private static String string(Instant i) {
        return i == null ? null : i.toString();
    }
}
