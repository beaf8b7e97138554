package fr.passerelle.validation;

import java.util.List;

/** The invoice as the accountant sees it: what the report shows next to the findings. */
public record InvoiceSummary(
        String number,
        String issueDate,
        String typeCode,
        String sellerName,
        List<String> sellerIdentifiers,
        String buyerName,
        List<String> buyerIdentifiers,
        String serviceCode,
        String commitmentNumber,
        String netTotal,
        String taxTotal,
        String payableAmount,
        String currency) {
}
