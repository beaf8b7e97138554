package fr.passerelle.validation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XPathCompiler;
import net.sf.saxon.s9api.XPathExecutable;
import net.sf.saxon.s9api.XPathSelector;
import net.sf.saxon.s9api.XdmItem;
import net.sf.saxon.s9api.XdmNode;

/**
 * Reads the invoice summary (number, dates, parties, references, totals) with XPath expressions
 * compiled once per syntax: UBL 2.1 and UN/CEFACT CII.
 */
final class SummaryReader {

    enum Syntax { UBL, CII }

    private final Map<Syntax, Map<String, XPathExecutable>> expressions = new LinkedHashMap<>();

    SummaryReader(Processor saxon) {
        try {
            XPathCompiler ubl = saxon.newXPathCompiler();
            ubl.declareNamespace("cbc", "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2");
            ubl.declareNamespace("cac", "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2");
            Map<String, XPathExecutable> u = new LinkedHashMap<>();
            u.put("number", ubl.compile("/*/cbc:ID"));
            u.put("issueDate", ubl.compile("/*/cbc:IssueDate"));
            u.put("typeCode", ubl.compile("/*/cbc:InvoiceTypeCode | /*/cbc:CreditNoteTypeCode"));
            u.put("currency", ubl.compile("/*/cbc:DocumentCurrencyCode"));
            u.put("sellerName", ubl.compile("/*/cac:AccountingSupplierParty/cac:Party/"
                    + "(cac:PartyLegalEntity/cbc:RegistrationName | cac:PartyName/cbc:Name)"));
            u.put("sellerIds", ubl.compile("/*/cac:AccountingSupplierParty/cac:Party/(cbc:EndpointID | "
                    + "cac:PartyIdentification/cbc:ID | cac:PartyLegalEntity/cbc:CompanyID | cac:PartyTaxScheme/cbc:CompanyID)"));
            u.put("buyerName", ubl.compile("/*/cac:AccountingCustomerParty/cac:Party/"
                    + "(cac:PartyLegalEntity/cbc:RegistrationName | cac:PartyName/cbc:Name)"));
            u.put("buyerIds", ubl.compile("/*/cac:AccountingCustomerParty/cac:Party/(cbc:EndpointID | "
                    + "cac:PartyIdentification/cbc:ID | cac:PartyLegalEntity/cbc:CompanyID)"));
            u.put("serviceCode", ubl.compile("/*/cbc:BuyerReference"));
            u.put("commitmentNumber", ubl.compile("/*/cac:OrderReference/cbc:ID"));
            u.put("netTotal", ubl.compile("/*/cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount"));
            u.put("taxTotal", ubl.compile("/*/cac:TaxTotal/cbc:TaxAmount[@currencyID = /*/cbc:DocumentCurrencyCode]"
                    + " | /*/cac:TaxTotal[not(cbc:TaxAmount/@currencyID)]/cbc:TaxAmount"));
            u.put("payableAmount", ubl.compile("/*/cac:LegalMonetaryTotal/cbc:PayableAmount"));
            u.put("guideline", ubl.compile("/*/cbc:CustomizationID"));
            u.put("process", ubl.compile("/*/cbc:ProfileID"));
            expressions.put(Syntax.UBL, u);

            XPathCompiler cii = saxon.newXPathCompiler();
            cii.declareNamespace("rsm", "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100");
            cii.declareNamespace("ram", "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100");
            cii.declareNamespace("udt", "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100");
            String agreement = "/*/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement";
            String settlement = "/*/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement";
            String sums = settlement + "/ram:SpecifiedTradeSettlementHeaderMonetarySummation";
            Map<String, XPathExecutable> c = new LinkedHashMap<>();
            c.put("number", cii.compile("/*/rsm:ExchangedDocument/ram:ID"));
            c.put("issueDate", cii.compile("/*/rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString"));
            c.put("typeCode", cii.compile("/*/rsm:ExchangedDocument/ram:TypeCode"));
            c.put("currency", cii.compile(settlement + "/ram:InvoiceCurrencyCode"));
            c.put("sellerName", cii.compile(agreement + "/ram:SellerTradeParty/ram:Name"));
            c.put("sellerIds", cii.compile(agreement + "/ram:SellerTradeParty/(ram:ID | ram:GlobalID | "
                    + "ram:SpecifiedLegalOrganization/ram:ID | ram:SpecifiedTaxRegistration/ram:ID)"));
            c.put("buyerName", cii.compile(agreement + "/ram:BuyerTradeParty/ram:Name"));
            c.put("buyerIds", cii.compile(agreement + "/ram:BuyerTradeParty/(ram:ID | ram:GlobalID | "
                    + "ram:SpecifiedLegalOrganization/ram:ID)"));
            c.put("serviceCode", cii.compile(agreement + "/ram:BuyerReference"));
            c.put("commitmentNumber", cii.compile(agreement + "/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"));
            c.put("netTotal", cii.compile(sums + "/ram:TaxBasisTotalAmount"));
            c.put("taxTotal", cii.compile(sums + "/ram:TaxTotalAmount[not(@currencyID) or @currencyID = "
                    + settlement + "/ram:InvoiceCurrencyCode]"));
            c.put("payableAmount", cii.compile(sums + "/ram:DuePayableAmount"));
            c.put("guideline", cii.compile("/*/rsm:ExchangedDocumentContext/"
                    + "ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"));
            c.put("process", cii.compile("/*/rsm:ExchangedDocumentContext/"
                    + "ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID"));
            expressions.put(Syntax.CII, c);
        } catch (SaxonApiException e) {
            throw new IllegalStateException("summary expressions do not compile", e);
        }
    }

    InvoiceSummary read(Syntax syntax, XdmNode invoice) throws SaxonApiException {
        Map<String, XPathExecutable> x = expressions.get(syntax);
        String date = first(x.get("issueDate"), invoice);
        if (syntax == Syntax.CII && date != null && date.matches("\\d{8}")) {
            date = date.substring(0, 4) + "-" + date.substring(4, 6) + "-" + date.substring(6, 8);
        }
        return new InvoiceSummary(first(x.get("number"), invoice), date, first(x.get("typeCode"), invoice),
                first(x.get("sellerName"), invoice), all(x.get("sellerIds"), invoice),
                first(x.get("buyerName"), invoice), all(x.get("buyerIds"), invoice),
                first(x.get("serviceCode"), invoice), first(x.get("commitmentNumber"), invoice),
                first(x.get("netTotal"), invoice), first(x.get("taxTotal"), invoice),
                first(x.get("payableAmount"), invoice), first(x.get("currency"), invoice));
    }

    /** The specification identifier BT-24 (for CII, the Factur-X profile), or null. */
    String guideline(Syntax syntax, XdmNode invoice) throws SaxonApiException {
        return first(expressions.get(syntax).get("guideline"), invoice);
    }

    /** The business process type BT-23 (in France, the billing mode: S1, B2, M4…), or null. */
    String process(Syntax syntax, XdmNode invoice) throws SaxonApiException {
        return first(expressions.get(syntax).get("process"), invoice);
    }

    private static String first(XPathExecutable xpath, XdmNode node) throws SaxonApiException {
        XPathSelector s = xpath.load();
        s.setContextItem(node);
        for (XdmItem item : s) {
            String v = item.getStringValue().trim();
            if (!v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    private static List<String> all(XPathExecutable xpath, XdmNode node) throws SaxonApiException {
        XPathSelector s = xpath.load();
        s.setContextItem(node);
        List<String> values = new ArrayList<>();
        for (XdmItem item : s) {
            String v = item.getStringValue().trim();
            if (!v.isEmpty() && !values.contains(v)) {
                values.add(v);
            }
        }
        return values;
    }
}
