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
  - each pattern's walk itself, where it can be a selection: the skeleton applies the pattern's mode
    to "/", and each rule of the mode, once it has run, to the node's children, so that every node
    of the invoice is tried against the mode's rules (the one of highest priority runs). The rules
    run on exactly the nodes their match patterns select; the walk is then replaced by applying the
    mode to the union of those selections, in document order as the walk goes, and the rules no
    longer apply it to the children. Saxon finds "//name" in its index of the invoice's elements
    instead of trying every node: a pattern of Factur-X's 66 no longer costs a walk of the invoice.
    Only in a mode of at most 4 rules (CEN's have 16 to 67: there the selections, tried, cost about
    a tenth more than the walk), and where that is sure: a mode walked once from the root, holding
    nothing but its rules, the fall-through and the empty text() template; each rule ending with its
    one apply-templates to the children; each in that mode only, of a priority above the
    fall-through's; each match pattern a path of named steps, rooted ("/…") or relative (selected as
    "//…"), not a union ("//(a|b)" would evaluate the union from every node), without current(),
    which in a selection would be the root (p:selection says what else it refuses).
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

  <!-- each mode's templates and apply-templates, found once: the stylesheets hold up to 82 modes in 1.7 MB -->
  <xsl:key name="templates-by-mode" match="/*/xsl:template[@mode]" use="tokenize(@mode)"/>
  <xsl:key name="applications-by-mode" match="xsl:apply-templates[@mode]" use="tokenize(@mode)"/>

  <!-- beyond a few rules, a walk trying each node once costs less than a selection per rule (bench compare) -->
  <xsl:variable name="most-rules-selected" as="xs:integer" select="4"/>

  <xsl:variable name="modes-as-selections" as="xs:string*"
                select="let $stylesheet := /*,
                            $walks := $stylesheet/xsl:template[@match = '/']//xsl:apply-templates[@select = '/'][@mode]
                        return $walks/@mode/string()[let $mode := . return count($walks[@mode = $mode]) = 1
                                                                           and p:can-select($stylesheet, $mode)]"/>

  <xsl:template match="xsl:apply-templates[@select = '/'][@mode = $modes-as-selections][ancestor::xsl:template[@match = '/']]"
                priority="2">
    <xsl:variable name="mode" select="string(@mode)"/>
    <xsl:copy>
      <xsl:copy-of select="@* except @select"/>
      <xsl:attribute name="select" select="string-join(p:rules(/*, $mode)/p:selection(@match), ' | ')"/>
      <xsl:apply-templates/>
    </xsl:copy>
  </xsl:template>

  <!-- a rule's walk to the children: the selection above holds every node the mode's rules match -->
  <xsl:template match="xsl:template[tokenize(@mode) = $modes-as-selections][not(p:is-fall-through(.))]
                       /xsl:apply-templates[tokenize(@mode) = tokenize(../@mode)]" priority="2"/>

  <xsl:function name="p:rules" as="element(xsl:template)*">
    <xsl:param name="stylesheet" as="element()"/>
    <xsl:param name="mode" as="xs:string"/>
    <xsl:sequence select="key('templates-by-mode', $mode, root($stylesheet))
                          [not(p:is-fall-through(.))][not(p:is-text-template(.))]"/>
  </xsl:function>

  <xsl:function name="p:can-select" as="xs:boolean">
    <xsl:param name="stylesheet" as="element()"/>
    <xsl:param name="mode" as="xs:string"/>
    <xsl:variable name="templates" select="key('templates-by-mode', ($mode, '#all'), root($stylesheet))"/>
    <xsl:variable name="rules" select="p:rules($stylesheet, $mode)"/>
    <xsl:sequence select="count($rules) = 1 to $most-rules-selected
        and (every $t in $templates satisfies normalize-space($t/@mode) = $mode)
        and count(key('applications-by-mode', $mode, root($stylesheet)))
            = 1 + count($templates[p:is-fall-through(.)]) + count($rules)
        and (every $r in $rules satisfies
                $r/@match and p:selection($r/@match) != ''
                and (not($r/@priority) or number($r/@priority) gt -2)
                and count($r//xsl:apply-templates[tokenize(@mode) = $mode]) = 1
                and $r/*[last()]/self::xsl:apply-templates[tokenize(@mode) = $mode]
                    [replace(@select, '\s', '') = ('@*|*', '*')])"/>
  </xsl:function>

  <!-- the skeleton's template writing nothing for text: text() with an empty body -->
  <xsl:function name="p:is-text-template" as="xs:boolean">
    <xsl:param name="template" as="element(xsl:template)"/>
    <xsl:sequence select="normalize-space($template/@match) = 'text()' and empty($template/*)
                          and not(normalize-space($template))"/>
  </xsl:function>

  <!--
    the expression selecting what a match pattern matches in the invoice, or '' when unsure. Outside
    its predicates and strings, a path of named steps only: no function or kind test (text(), key(),
    doc()…: nodes the walk never reaches, or a call made again from every node), no variable, no
    "." step, no namespace axis, no union in any spelling; and no current() anywhere.
  -->
  <xsl:function name="p:selection" as="xs:string">
    <xsl:param name="match" as="xs:string"/>
    <xsl:variable name="bare"
                  select="p:without-predicates(replace($match, '''[^'']*''|&quot;[^&quot;]*&quot;', ''''''))"/>
    <xsl:sequence select="if (matches($match, 'current\s*\(')
                              or matches($bare, '[(|$]|namespace|(^|[/\s])\.|\s(union|except|intersect)\s'))
                          then ''
                          else if (starts-with(normalize-space($match), '/')) then '(' || $match || ')'
                          else '(//' || $match || ')'"/>
  </xsl:function>

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
