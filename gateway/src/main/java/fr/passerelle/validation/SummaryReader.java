package fr.passerelle.validation;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XPathCompiler;
import net.sf.saxon.s9api.XPathExecutable;
import net.sf.saxon.s9api.XPathSelector;
import net.sf.saxon.s9api.XdmArray;
import net.sf.saxon.s9api.XdmItem;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.XdmValue;

/**
 * Reads the invoice summary (number, dates, parties, references, totals), its specification
 * identifier and its business process with one XPath expression per syntax (UBL 2.1 and UN/CEFACT
 * CII), compiled once: one evaluation per invoice, where one per field cost a dynamic context each.
 */
final class SummaryReader {

    enum Syntax { UBL, CII }

    /** What an invoice says of itself, as read. */
    record Reading(InvoiceSummary summary, String guideline, String process) {
    }

    private static final List<String> FIELDS = List.of("number", "issueDate", "typeCode", "currency", "sellerName",
            "sellerIds", "buyerName", "buyerIds", "serviceCode", "commitmentNumber", "netTotal", "taxTotal",
            "payableAmount", "guideline", "process");

    private final Map<Syntax, XPathExecutable> expressions = new EnumMap<>(Syntax.class);

    SummaryReader(Processor saxon) {
        try {
            XPathCompiler ubl = saxon.newXPathCompiler();
            ubl.declareNamespace("cbc", "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2");
            ubl.declareNamespace("cac", "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2");
            Map<String, String> u = new HashMap<>();
            u.put("number", "/*/cbc:ID");
            u.put("issueDate", "/*/cbc:IssueDate");
            u.put("typeCode", "/*/cbc:InvoiceTypeCode | /*/cbc:CreditNoteTypeCode");
            u.put("currency", "/*/cbc:DocumentCurrencyCode");
            u.put("sellerName", "/*/cac:AccountingSupplierParty/cac:Party/"
                    + "(cac:PartyLegalEntity/cbc:RegistrationName | cac:PartyName/cbc:Name)");
            u.put("sellerIds", "/*/cac:AccountingSupplierParty/cac:Party/(cbc:EndpointID | "
                    + "cac:PartyIdentification/cbc:ID | cac:PartyLegalEntity/cbc:CompanyID | cac:PartyTaxScheme/cbc:CompanyID)");
            u.put("buyerName", "/*/cac:AccountingCustomerParty/cac:Party/"
                    + "(cac:PartyLegalEntity/cbc:RegistrationName | cac:PartyName/cbc:Name)");
            u.put("buyerIds", "/*/cac:AccountingCustomerParty/cac:Party/(cbc:EndpointID | "
                    + "cac:PartyIdentification/cbc:ID | cac:PartyLegalEntity/cbc:CompanyID)");
            u.put("serviceCode", "/*/cbc:BuyerReference");
            u.put("commitmentNumber", "/*/cac:OrderReference/cbc:ID");
            u.put("netTotal", "/*/cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount");
            u.put("taxTotal", "/*/cac:TaxTotal/cbc:TaxAmount[@currencyID = /*/cbc:DocumentCurrencyCode]"
                    + " | /*/cac:TaxTotal[not(cbc:TaxAmount/@currencyID)]/cbc:TaxAmount");
            u.put("payableAmount", "/*/cac:LegalMonetaryTotal/cbc:PayableAmount");
            u.put("guideline", "/*/cbc:CustomizationID");
            u.put("process", "/*/cbc:ProfileID");
            expressions.put(Syntax.UBL, compile(ubl, u));

            XPathCompiler cii = saxon.newXPathCompiler();
            cii.declareNamespace("rsm", "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100");
            cii.declareNamespace("ram", "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100");
            cii.declareNamespace("udt", "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100");
            String agreement = "/*/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement";
            String settlement = "/*/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement";
            String sums = settlement + "/ram:SpecifiedTradeSettlementHeaderMonetarySummation";
            Map<String, String> c = new HashMap<>();
            c.put("number", "/*/rsm:ExchangedDocument/ram:ID");
            c.put("issueDate", "/*/rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString");
            c.put("typeCode", "/*/rsm:ExchangedDocument/ram:TypeCode");
            c.put("currency", settlement + "/ram:InvoiceCurrencyCode");
            c.put("sellerName", agreement + "/ram:SellerTradeParty/ram:Name");
            c.put("sellerIds", agreement + "/ram:SellerTradeParty/(ram:ID | ram:GlobalID | "
                    + "ram:SpecifiedLegalOrganization/ram:ID | ram:SpecifiedTaxRegistration/ram:ID)");
            c.put("buyerName", agreement + "/ram:BuyerTradeParty/ram:Name");
            c.put("buyerIds", agreement + "/ram:BuyerTradeParty/(ram:ID | ram:GlobalID | "
                    + "ram:SpecifiedLegalOrganization/ram:ID)");
            c.put("serviceCode", agreement + "/ram:BuyerReference");
            c.put("commitmentNumber", agreement + "/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID");
            c.put("netTotal", sums + "/ram:TaxBasisTotalAmount");
            c.put("taxTotal", sums + "/ram:TaxTotalAmount[not(@currencyID) or @currencyID = "
                    + settlement + "/ram:InvoiceCurrencyCode]");
            c.put("payableAmount", sums + "/ram:DuePayableAmount");
            c.put("guideline", "/*/rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID");
            c.put("process", "/*/rsm:ExchangedDocumentContext/"
                    + "ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID");
            expressions.put(Syntax.CII, compile(cii, c));
        } catch (SaxonApiException e) {
            throw new IllegalStateException("summary expressions do not compile", e);
        }
    }

    /** One expression for every field: the items of each in an array of their own, in {@link #FIELDS}' order. */
    private static XPathExecutable compile(XPathCompiler compiler, Map<String, String> byField) throws SaxonApiException {
        return compiler.compile(FIELDS.stream().map(field -> "array { " + byField.get(field) + " }")
                .collect(Collectors.joining(", ", "(", ")")));
    }

    Reading read(Syntax syntax, XdmNode invoice) throws SaxonApiException {
        XPathSelector selector = expressions.get(syntax).load();
        selector.setContextItem(invoice);
        Map<String, List<String>> values = new HashMap<>();
        Iterator<String> fields = FIELDS.iterator();
        for (XdmItem field : selector) {
            values.put(fields.next(), distinctValues((XdmArray) field));
        }
        String date = first(values.get("issueDate"));
        if (syntax == Syntax.CII && date != null && date.matches("\\d{8}")) {
            date = date.substring(0, 4) + "-" + date.substring(4, 6) + "-" + date.substring(6, 8);
        }
        InvoiceSummary summary = new InvoiceSummary(first(values.get("number")), date, first(values.get("typeCode")),
                first(values.get("sellerName")), values.get("sellerIds"),
                first(values.get("buyerName")), values.get("buyerIds"),
                first(values.get("serviceCode")), first(values.get("commitmentNumber")),
                first(values.get("netTotal")), first(values.get("taxTotal")),
                first(values.get("payableAmount")), first(values.get("currency")));
        // BT-24 (for CII, the Factur-X profile) and BT-23 (in France, the billing mode: S1, B2, M4…)
        return new Reading(summary, first(values.get("guideline")), first(values.get("process")));
    }

    /** The field's values, trimmed, in order, without empty ones or repeats. */
    private static List<String> distinctValues(XdmArray items) {
        List<String> values = new ArrayList<>();
        for (XdmValue member : items.asList()) {
            for (XdmItem item : member) {
                String v = item.getStringValue().trim();
                if (!v.isEmpty() && !values.contains(v)) {
                    values.add(v);
                }
            }
        }
        return values;
    }

    private static String first(List<String> values) {
        return values.isEmpty() ? null : values.get(0);
    }
}
