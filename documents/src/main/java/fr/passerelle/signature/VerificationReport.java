package fr.passerelle.signature;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The signatures of one PES, one check per ds:Signature in document order. A flow is valid when
 * it has at least one signature and every one is valid: Hélios refuses an unsigned flow as it
 * refuses a bad signature.
 */
public record VerificationReport(String source, List<SignatureCheck> signatures) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public VerificationReport {
        signatures = List.copyOf(signatures);
    }

    public boolean valid() {
        return !signatures.isEmpty() && signatures.stream().allMatch(SignatureCheck::valid);
    }

    /** French, for the commune: what is wrong with the flow's signatures; null when valid. */
    public String reason() {
        if (signatures.isEmpty()) {
            return "aucune signature dans le flux";
        }
        return signatures.stream().filter(s -> !s.valid()).findFirst()
                .map(s -> s.signedItem() + " : " + s.reason()).orElse(null);
    }

    /**
     * Stable field names: source, valid, reason, count, signatures (each: signatureId, signed,
     * signedElement, signedId, wholeDocument, idBord, exer, valid, reason, problems, signer,
     * issuer, serialNumber, signingTime, claimedRole, policyOid, policyKnown, policyHashMatches,
     * signatureAlgorithm, digestAlgorithm, transforms, references, certificateNotBefore,
     * certificateNotAfter, certificateValidAtSigningTime, certificateExpiredNow,
     * certificateDaysLeft). Instants are ISO-8601 UTC strings.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source);
        m.put("valid", valid());
        m.put("reason", reason());
        m.put("count", signatures.size());
        List<Map<String, Object>> list = new ArrayList<>();
        signatures.forEach(s -> list.add(s.toMap()));
        m.put("signatures", list);
        return m;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("verification report cannot be written as JSON", e);
        }
    }
}
