<?xml version="1.0" encoding="UTF-8"?>
<!--
  Applied to a Schematron's XSLT (the ISO skeleton's output: CEN's EN 16931 rules, Factur-X's, the
  French CTC rules) before it is compiled. It drops the SVRL records no finding comes from, and the
  work that writes them; the rules (their contexts, lets, asserts and reports) are copied unchanged.
  - svrl:fired-rule: one per context a rule matched;
  - svrl:active-pattern: one per pattern, whose apply-templates in the default mode walks the whole
    invoice to write nothing, as long as the default mode holds only the skeleton's own templates
    (the root's and the one stripping text). Otherwise it is kept.
  - the attributes in each pattern's walk of the invoice: each rule and the pattern's fall-through
    apply the pattern's templates to "@*|*"; an attribute meets only the fall-through, which writes
    nothing, when no other template of the pattern's mode may match an attribute. In such a mode the
    walk goes to "*" only. "May match" is read from the match pattern without its predicates and
    string literals: anything there that can reach an attribute (@, attribute, node(), key(),
    item(), a variable, a type, a lone ".") keeps the mode as it is.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:svrl="http://purl.oclc.org/dsdl/svrl"
                xmlns:p="urn:passerelle:schematron-compiler"
                exclude-result-prefixes="xs p">

  <xsl:mode on-no-match="shallow-copy"/>

  <xsl:variable name="default-mode-writes-nothing" as="xs:boolean"
                select="not(/*/@default-mode)
                        and (every $t in /*/xsl:template[not(@mode) or tokenize(@mode) = ('#default', '#all')]
                             satisfies normalize-space($t/@match) = ('/', 'text()'))"/>

  <xsl:template match="svrl:fired-rule"/>

  <xsl:template match="svrl:active-pattern[$default-mode-writes-nothing]"/>

  <xsl:variable name="modes-without-attribute-rules" as="xs:string*"
                select="let $templates := /*/xsl:template return
                        distinct-values($templates/tokenize(@mode))[not(. = ('#all', '#default'))]
                        [let $mode := . return
                         every $t in $templates[@match][tokenize(@mode) = ($mode, '#all')]
                         satisfies p:is-fall-through($t) or not(p:may-match-attributes($t/@match))]"/>

  <xsl:template match="xsl:apply-templates[@select = '@*|*'][@mode = $modes-without-attribute-rules]">
    <xsl:copy>
      <xsl:copy-of select="@* except @select"/>
      <xsl:attribute name="select" select="'*'"/>
      <xsl:apply-templates/>
    </xsl:copy>
  </xsl:template>

  <!-- the skeleton's fall-through: "@*|node()", doing nothing but applying the mode's templates -->
  <xsl:function name="p:is-fall-through" as="xs:boolean">
    <xsl:param name="template" as="element(xsl:template)"/>
    <xsl:sequence select="replace($template/@match, '\s', '') = '@*|node()'
                          and (every $c in $template/* satisfies $c/self::xsl:apply-templates)"/>
  </xsl:function>

  <xsl:function name="p:may-match-attributes" as="xs:boolean">
    <xsl:param name="match" as="xs:string"/>
    <xsl:variable name="without-strings" select="replace($match, '''[^'']*''|&quot;[^&quot;]*&quot;', '''''')"/>
    <xsl:sequence select="matches(p:without-predicates($without-strings),
                                  '@|attribute|node\(|key\(|item\(|~|\$|(^|[\s|(])\.($|[\s|)])')"/>
  </xsl:function>

  <xsl:function name="p:without-predicates" as="xs:string">
    <xsl:param name="pattern" as="xs:string"/>
    <xsl:variable name="fewer" select="replace($pattern, '\[[^\[\]]*\]', '')"/>
    <xsl:sequence select="if ($fewer = $pattern) then $pattern else p:without-predicates($fewer)"/>
  </xsl:function>

</xsl:stylesheet>
