package fr.passerelle.validation;

import java.util.ArrayList;
import java.util.EnumMap;
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

    private static final String UBL_SUPPLIER = "/*/cac:AccountingSupplierParty/cac:Party/";
    private static final String UBL_CUSTOMER = "/*/cac:AccountingCustomerParty/cac:Party/";
    private static final String UBL_NAME = "(cac:PartyLegalEntity/cbc:RegistrationName | cac:PartyName/cbc:Name)";
    private static final String CII_AGREEMENT = "/*/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement";
    private static final String CII_SETTLEMENT = "/*/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement";
    private static final String CII_SUMS = CII_SETTLEMENT + "/ram:SpecifiedTradeSettlementHeaderMonetarySummation";
    private static final String CII_CONTEXT = "/*/rsm:ExchangedDocumentContext/";

    /** What is read, and where each syntax holds it. */
    private enum Field {
        NUMBER("/*/cbc:ID", "/*/rsm:ExchangedDocument/ram:ID"),
        ISSUE_DATE("/*/cbc:IssueDate", "/*/rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString"),
        TYPE_CODE("/*/cbc:InvoiceTypeCode | /*/cbc:CreditNoteTypeCode", "/*/rsm:ExchangedDocument/ram:TypeCode"),
        CURRENCY("/*/cbc:DocumentCurrencyCode", CII_SETTLEMENT + "/ram:InvoiceCurrencyCode"),
        SELLER_NAME(UBL_SUPPLIER + UBL_NAME, CII_AGREEMENT + "/ram:SellerTradeParty/ram:Name"),
        SELLER_IDS(UBL_SUPPLIER + "(cbc:EndpointID | cac:PartyIdentification/cbc:ID | cac:PartyLegalEntity/cbc:CompanyID"
                + " | cac:PartyTaxScheme/cbc:CompanyID)",
                CII_AGREEMENT + "/ram:SellerTradeParty/(ram:ID | ram:GlobalID | ram:SpecifiedLegalOrganization/ram:ID"
                        + " | ram:SpecifiedTaxRegistration/ram:ID)"),
        BUYER_NAME(UBL_CUSTOMER + UBL_NAME, CII_AGREEMENT + "/ram:BuyerTradeParty/ram:Name"),
        BUYER_IDS(UBL_CUSTOMER + "(cbc:EndpointID | cac:PartyIdentification/cbc:ID | cac:PartyLegalEntity/cbc:CompanyID)",
                CII_AGREEMENT + "/ram:BuyerTradeParty/(ram:ID | ram:GlobalID | ram:SpecifiedLegalOrganization/ram:ID)"),
        SERVICE_CODE("/*/cbc:BuyerReference", CII_AGREEMENT + "/ram:BuyerReference"),
        COMMITMENT_NUMBER("/*/cac:OrderReference/cbc:ID",
                CII_AGREEMENT + "/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"),
        NET_TOTAL("/*/cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount", CII_SUMS + "/ram:TaxBasisTotalAmount"),
        TAX_TOTAL("/*/cac:TaxTotal/cbc:TaxAmount[@currencyID = /*/cbc:DocumentCurrencyCode]"
                + " | /*/cac:TaxTotal[not(cbc:TaxAmount/@currencyID)]/cbc:TaxAmount",
                CII_SUMS + "/ram:TaxTotalAmount[not(@currencyID) or @currencyID = " + CII_SETTLEMENT
                        + "/ram:InvoiceCurrencyCode]"),
        PAYABLE_AMOUNT("/*/cac:LegalMonetaryTotal/cbc:PayableAmount", CII_SUMS + "/ram:DuePayableAmount"),
        /** BT-24 (for CII, the Factur-X profile). */
        GUIDELINE("/*/cbc:CustomizationID", CII_CONTEXT + "ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"),
        /** BT-23 (in France, the billing mode: S1, B2, M4…). */
        PROCESS("/*/cbc:ProfileID", CII_CONTEXT + "ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID");

        private final String ubl;
        private final String cii;

        Field(String ubl, String cii) {
            this.ubl = ubl;
            this.cii = cii;
        }

        String in(Syntax syntax) {
            return syntax == Syntax.UBL ? ubl : cii;
        }
    }

    /** The fields in the order the expressions give them: made once, not for every invoice. */
    private static final List<Field> FIELDS = List.of(Field.values());

    private final Map<Syntax, XPathExecutable> expressions = new EnumMap<>(Syntax.class);

    SummaryReader(Processor saxon) {
        try {
            XPathCompiler ubl = saxon.newXPathCompiler();
            ubl.declareNamespace("cbc", "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2");
            ubl.declareNamespace("cac", "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2");
            expressions.put(Syntax.UBL, compile(ubl, Syntax.UBL));
            XPathCompiler cii = saxon.newXPathCompiler();
            cii.declareNamespace("rsm", "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100");
            cii.declareNamespace("ram", "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100");
            cii.declareNamespace("udt", "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100");
            expressions.put(Syntax.CII, compile(cii, Syntax.CII));
        } catch (SaxonApiException e) {
            throw new IllegalStateException("summary expressions do not compile", e);
        }
    }

    /** One expression for every field: the items of each in an array of their own, in the fields' order. */
    private static XPathExecutable compile(XPathCompiler compiler, Syntax syntax) throws SaxonApiException {
        return compiler.compile(FIELDS.stream().map(field -> "array { " + field.in(syntax) + " }")
                .collect(Collectors.joining(", ", "(", ")")));
    }

    Reading read(Syntax syntax, XdmNode invoice) throws SaxonApiException {
        XPathSelector selector = expressions.get(syntax).load();
        selector.setContextItem(invoice);
        Map<Field, List<String>> values = new EnumMap<>(Field.class);
        Iterator<Field> fields = FIELDS.iterator();
        for (XdmItem field : selector) {
            values.put(fields.next(), distinctValues((XdmArray) field));
        }
        String date = first(values.get(Field.ISSUE_DATE));
        if (syntax == Syntax.CII && date != null && date.matches("\\d{8}")) {
            date = date.substring(0, 4) + "-" + date.substring(4, 6) + "-" + date.substring(6, 8);
        }
        InvoiceSummary summary = new InvoiceSummary(first(values.get(Field.NUMBER)), date,
                first(values.get(Field.TYPE_CODE)), first(values.get(Field.SELLER_NAME)), values.get(Field.SELLER_IDS),
                first(values.get(Field.BUYER_NAME)), values.get(Field.BUYER_IDS),
                first(values.get(Field.SERVICE_CODE)), first(values.get(Field.COMMITMENT_NUMBER)),
                first(values.get(Field.NET_TOTAL)), first(values.get(Field.TAX_TOTAL)),
                first(values.get(Field.PAYABLE_AMOUNT)), first(values.get(Field.CURRENCY)));
        return new Reading(summary, first(values.get(Field.GUIDELINE)), first(values.get(Field.PROCESS)));
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
