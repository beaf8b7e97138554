package fr.passerelle.chorus.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP answer of the simulator: always a JSON object, with codeRetour and libelle. */
record Reply(int status, Map<String, Object> body, Map<String, String> headers) {

    static final String OK = "GCU_MSG_01_000";

    /** HTTP 200, codeRetour 0, then the fields given (name, value, name, value…). */
    static Reply ok(Object... fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("codeRetour", 0);
        body.put("libelle", OK);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            body.put((String) fields[i], fields[i + 1]);
        }
        return new Reply(200, body, Map.of());
    }

    /** A business error: HTTP 200 with a non-zero codeRetour, as Chorus Pro answers them. */
    static Reply business(int codeRetour, String libelle) {
        return error(200, codeRetour, libelle);
    }

    static Reply error(int status, int codeRetour, String libelle) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("codeRetour", codeRetour);
        body.put("libelle", libelle);
        return new Reply(status, body, Map.of());
    }

    Reply with(String field, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(body);
        copy.put(field, value);
        return new Reply(status, copy, headers);
    }

    Reply header(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new Reply(status, body, copy);
    }
}
