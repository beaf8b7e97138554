<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shaped as the ISO skeleton writes a Schematron's patterns (one mode each, walked from the root,
  each rule applying the mode to "@*|*" after it ran), with match patterns of every kind that
  SchematronCompilerTest needs: paths a selection finds as the walk does (M1 to M4), and patterns it
  would not, which must stay walked (M5 to M10). Each rule writes which node it ran on.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:variable name="v"><x/></xsl:variable>
  <xsl:template match="text()" priority="-1"/>
  <xsl:template match="/">
    <out>
      <xsl:apply-templates mode="M1" select="/"/>
      <xsl:apply-templates mode="M2" select="/"/>
      <xsl:apply-templates mode="M3" select="/"/>
      <xsl:apply-templates mode="M4" select="/"/>
      <xsl:apply-templates mode="M5" select="/"/>
      <xsl:apply-templates mode="M6" select="/"/>
      <xsl:apply-templates mode="M7" select="/"/>
      <xsl:apply-templates mode="M8" select="/"/>
      <xsl:apply-templates mode="M9" select="/"/>
      <xsl:apply-templates mode="M10" select="/"/>
    </out>
  </xsl:template>

  <!-- a relative path, met at several depths, one inside another -->
  <xsl:template match="b" mode="M1" priority="1000"><r m="1" n="{path()}"/><xsl:apply-templates mode="M1" select="@*|*"/></xsl:template>
  <xsl:template match="text()" mode="M1" priority="-1"/>
  <xsl:template match="@*|node()" mode="M1" priority="-2"><xsl:apply-templates mode="M1" select="@*|*"/></xsl:template>

  <!-- a rooted path with a positional predicate -->
  <xsl:template match="/root/c/b[1]" mode="M2" priority="1000"><r m="2" n="{path()}"/><xsl:apply-templates mode="M2" select="@*|*"/></xsl:template>
  <xsl:template match="text()" mode="M2" priority="-1"/>
  <xsl:template match="@*|node()" mode="M2" priority="-2"><xsl:apply-templates mode="M2" select="@*|*"/></xsl:template>

  <!-- an attribute -->
  <xsl:template match="@k" mode="M3" priority="1000"><r m="3" n="{path()}"/><xsl:apply-templates mode="M3" select="@*|*"/></xsl:template>
  <xsl:template match="text()" mode="M3" priority="-1"/>
  <xsl:template match="@*|node()" mode="M3" priority="-2"><xsl:apply-templates mode="M3" select="@*|*"/></xsl:template>

  <!-- two rules on the same nodes: the higher priority runs, once -->
  <xsl:template match="c/b" mode="M4" priority="1001"><r m="4" r="c/b" n="{path()}"/><xsl:apply-templates mode="M4" select="@*|*"/></xsl:template>
  <xsl:template match="b" mode="M4" priority="1000"><r m="4" r="b" n="{path()}"/><xsl:apply-templates mode="M4" select="@*|*"/></xsl:template>
  <xsl:template match="text()" mode="M4" priority="-1"/>
  <xsl:template match="@*|node()" mode="M4" priority="-2"><xsl:apply-templates mode="M4" select="@*|*"/></xsl:template>

  <!-- a union in words: as a selection from the root, "b" would be the root's children only -->
  <xsl:template match="a union b" mode="M5" priority="1000"><r m="5" n="{path()}"/><xsl:apply-templates mode="M5" select="@*|*"/></xsl:template>
  <xsl:template match="text()" mode="M5" priority="-1"/>
  <xsl:template match="@*|node()" mode="M5" priority="-2"><xsl:apply-templates mode="M5" select="@*|*"/></xsl:template>

  <!-- a "." step: selected, it would take text the walk never reaches -->
  <xsl:template match=".[. = 'hello']" mode="M6" priority="1000"><r m="6" n="{path()}"/><xsl:apply-templates mode="M6" select="@*|*"/></xsl:template>
  <xsl:template match="text()" mode="M6" priority="-1"/>
  <xsl:template match="@*|node()" mode="M6" priority="-2"><xsl:apply-templates mode="M6" select="@*|*"/></xsl:template>

  <!-- a variable: selected, it would reach another tree -->
  <xsl:template match="$v/x" mode="M7" priority="1000"><r m="7" n="{path()}"/><xsl:apply-templates mode="M7" select="@*|*"/></xsl:template>
  <xsl:template match="text()" mode="M7" priority="-1"/>
  <xsl:template match="@*|node()" mode="M7" priority="-2"><xsl:apply-templates mode="M7" select="@*|*"/></xsl:template>

  <!-- the namespace axis: the walk never reaches namespace nodes -->
  <xsl:template match="namespace::n" mode="M8" priority="1000"><r m="8" n="{path()}"/><xsl:apply-templates mode="M8" select="@*|*"/></xsl:template>
  <xsl:template match="text()" mode="M8" priority="-1"/>
  <xsl:template match="@*|node()" mode="M8" priority="-2"><xsl:apply-templates mode="M8" select="@*|*"/></xsl:template>

  <!-- current(), spaced: in a selection it would be the root -->
  <xsl:template match="b[current ()/@k]" mode="M9" priority="1000"><r m="9" n="{path()}"/><xsl:apply-templates mode="M9" select="@*|*"/></xsl:template>
  <xsl:template match="text()" mode="M9" priority="-1"/>
  <xsl:template match="@*|node()" mode="M9" priority="-2"><xsl:apply-templates mode="M9" select="@*|*"/></xsl:template>

  <!-- except, in words -->
  <xsl:template match="b except a/b" mode="M10" priority="1000"><r m="10" n="{path()}"/><xsl:apply-templates mode="M10" select="@*|*"/></xsl:template>
  <xsl:template match="text()" mode="M10" priority="-1"/>
  <xsl:template match="@*|node()" mode="M10" priority="-2"><xsl:apply-templates mode="M10" select="@*|*"/></xsl:template>
</xsl:stylesheet>
