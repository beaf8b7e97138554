package fr.passerelle.validation;

/**
 * One thing a layer found: the layer, a stable rule id (BR-CO-15, cvc-complex-type.2.4.a,
 * 6.1.7-1, FX-XMP-PROFILE…), where (XPath, line/column, PDF object), the French message an
 * accountant can act on, and the rule's original text.
 */
public record Finding(Layer layer, String rule, Severity severity, String location, String message, String text) {
}
