package fr.passerelle.pes;

import jakarta.xml.bind.annotation.adapters.XmlAdapter;

/** PES booleans as real flows write them: "1" and "0" (reads "true" / "false" too). */
public final class BooleanAsDigit extends XmlAdapter<String, Boolean> {

    @Override
    public Boolean unmarshal(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        return v.equals("1") || v.equalsIgnoreCase("true");
    }

    @Override
    public String marshal(Boolean value) {
        return value == null ? null : value ? "1" : "0";
    }
}
