package fr.passerelle.validation;

/** error: the invoice is rejected; warning: accepted, with the point shown; info: for the record. */
public enum Severity {
    ERROR, WARNING, INFO;

    public String id() {
        return name().toLowerCase();
    }
}
