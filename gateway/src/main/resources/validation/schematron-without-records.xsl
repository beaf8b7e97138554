<?xml version="1.0" encoding="UTF-8"?>
<!--
  Applied to a Schematron's XSLT (the ISO skeleton's output: CEN's EN 16931 rules, Factur-X's, the
  French CTC rules) before it is compiled. It drops the SVRL records no finding comes from, and the
  work that writes them; the rules (their contexts, lets, asserts and reports) are copied unchanged.
  - svrl:fired-rule: one per context a rule matched;
  - svrl:active-pattern: one per pattern, whose apply-templates in the default mode walks the whole
    invoice to write nothing, as long as the default mode holds only the skeleton's own templates
    (the root's and the one stripping text). Otherwise it is kept.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:svrl="http://purl.oclc.org/dsdl/svrl"
                exclude-result-prefixes="xs">

  <xsl:mode on-no-match="shallow-copy"/>

  <xsl:variable name="default-mode-writes-nothing" as="xs:boolean"
                select="not(/*/@default-mode)
                        and (every $t in /*/xsl:template[not(@mode) or tokenize(@mode) = ('#default', '#all')]
                             satisfies normalize-space($t/@match) = ('/', 'text()'))"/>

  <xsl:template match="svrl:fired-rule"/>

  <xsl:template match="svrl:active-pattern[$default-mode-writes-nothing]"/>

</xsl:stylesheet>
