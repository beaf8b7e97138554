package fr.passerelle.api;

/** A refusal the API answers as JSON with its HTTP status; never carries a stack trace out. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "not-found", what + " introuvable.");
    }
}
