package fr.passerelle.validation;

/**
 * What a Factur-X PDF promises about its XML: CII, of the profile its XMP metadata declares, a
 * profile Factur-X knows; that profile's schema replaces the plain CII one for the schema layer.
 */
final class FacturXProfileStep implements ValidationStep {

    private final ValidationArtefacts artefacts;

    FacturXProfileStep(ValidationArtefacts artefacts) {
        this.artefacts = artefacts;
    }

    @Override
    public boolean isSkipped(InvoiceCheck check) {
        return check.ended() || !check.facturX;
    }

    @Override
    public void check(InvoiceCheck check) {
        if (check.summarySyntax != SummaryReader.Syntax.CII) {
            check.add(new Finding(Layer.CONTAINER, "FX-SYNTAX", Severity.ERROR, null,
                    "Le XML joint au PDF Factur-X doit être au format CII.", check.syntax));
            check.end();
            return;
        }
        FacturXProfile profile = check.profile;
        FacturXProfile declared = FacturXProfile.fromConformanceLevel(check.xmpLevel);
        if (declared != null && profile != null && declared != profile) {
            check.add(new Finding(Layer.CONTAINER, "FX-XMP-PROFILE", Severity.ERROR, "métadonnées XMP",
                    "Le profil annoncé dans les métadonnées du PDF (" + declared.label() + ") n'est pas celui de "
                            + "la facture jointe (" + profile.label() + ").",
                    "fx:ConformanceLevel=" + check.xmpLevel + ", GuidelineSpecifiedDocumentContextParameter="
                            + check.guideline));
        }
        if (profile == null) {
            check.add(new Finding(Layer.PROFILE, "FX-PROFILE-UNKNOWN", Severity.ERROR,
                    "/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext", "Le profil de la facture ("
                    + check.guideline + ") n'est pas un profil Factur-X connu.", String.valueOf(check.guideline)));
            check.end();
            return;
        }
        check.schema = artefacts.profileSchema(profile);
    }
}
