package fr.passerelle.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BodyTypeTest {

    @Test
    void anyDeclaredTypeIsARawBodyButOtherMultipartsAndCompressionAreRefused() {
        for (String type : new String[] {null, "", "application/xml", "application/pdf; charset=x", "text/plain",
                "application/x-www-form-urlencoded", "Multipart/Form-Data; boundary=b", "nonsense"}) {
            assertThat(BodyType.refusal(type, null)).as(type).isNull();
        }
        assertThat(BodyType.refusal("multipart/mixed; boundary=b", null)).contains("multipart/mixed");
        assertThat(BodyType.refusal("multipart/related", null)).isNotNull();
        assertThat(BodyType.refusal("message/rfc822", null)).isNotNull();
        assertThat(BodyType.refusal("application/xml", "gzip")).contains("gzip");
        assertThat(BodyType.refusal("application/xml", "identity")).isNull();
    }

    @Test
    void aFormTypeIsRecognisedWhateverItsParameters() {
        assertThat(BodyType.isFormUrlEncoded("application/x-www-form-urlencoded; charset=UTF-8")).isTrue();
        assertThat(BodyType.isFormUrlEncoded("APPLICATION/X-WWW-FORM-URLENCODED")).isTrue();
        assertThat(BodyType.isFormUrlEncoded("application/xml")).isFalse();
        assertThat(BodyType.isFormUrlEncoded(null)).isFalse();
    }
}
