package fr.passerelle.api;

import fr.passerelle.tenant.Commune;

/** Who is calling the API: a commune (sees only its own flows) or an operator (sees all). */
public record Caller(Commune commune, String operator) {

    public boolean isOperator() {
        return operator != null;
    }

    public boolean canSee(String communeId) {
        return isOperator() || (commune != null && commune.id().equals(communeId));
    }

    public String name() {
        return isOperator() ? "ops:" + operator : commune.id();
    }
}
