package fr.passerelle.validation;

/** The layers of the validation pyramid, in the order they run; each names its findings. */
public enum Layer {
    CONTAINER("container"),
    XML("xml"),
    SCHEMA("schema"),
    EN16931("en16931"),
    PROFILE("profile"),
    ROUTING("routing");

    private final String id;

    Layer(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
