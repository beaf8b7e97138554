package fr.passerelle.validation;

import net.sf.saxon.event.PipelineConfiguration;
import net.sf.saxon.event.ProxyReceiver;
import net.sf.saxon.event.Receiver;
import net.sf.saxon.om.AttributeMap;
import net.sf.saxon.om.Item;
import net.sf.saxon.om.NamespaceMap;
import net.sf.saxon.om.NodeName;
import net.sf.saxon.s9api.Location;
import net.sf.saxon.s9api.XdmDestination;
import net.sf.saxon.serialize.SerializationProperties;
import net.sf.saxon.str.UnicodeString;
import net.sf.saxon.trans.XPathException;
import net.sf.saxon.type.SchemaType;

/**
 * The SVRL tree with only what becomes a finding: the root, and each failed-assert and
 * successful-report whole. The rest (an active-pattern per pattern, a fired-rule per context the
 * rules matched: hundreds per invoice) is dropped as it comes instead of being built and walked.
 */
final class SvrlFindingsOnly extends XdmDestination {

    private static final String SVRL = "http://purl.oclc.org/dsdl/svrl";

    /** An SVRL element that becomes a finding. */
    static boolean isFinding(String namespace, String localName) {
        return SVRL.equals(namespace) && (localName.equals("failed-assert") || localName.equals("successful-report"));
    }

    @Override
    public Receiver getReceiver(PipelineConfiguration pipe, SerializationProperties params) {
        return new Filter(super.getReceiver(pipe, params));
    }

    /** Passes on the root element and the findings' subtrees, nothing else. */
    private static final class Filter extends ProxyReceiver {
        private int depth;
        /** Elements open inside a kept finding (the finding included); 0 outside. */
        private int kept;

        Filter(Receiver tree) {
            super(tree);
        }

        @Override
        public void startElement(NodeName name, SchemaType type, AttributeMap attributes, NamespaceMap namespaces,
                                 Location location, int properties) throws XPathException {
            depth++;
            if (kept > 0 || isFinding(name.getURI(), name.getLocalPart())) {
                kept++;
            } else if (depth > 1) {
                return;
            }
            super.startElement(name, type, attributes, namespaces, location, properties);
        }

        @Override
        public void endElement() throws XPathException {
            boolean forwarded = kept > 0 || depth == 1;
            if (kept > 0) {
                kept--;
            }
            depth--;
            if (forwarded) {
                super.endElement();
            }
        }

        @Override
        public void characters(UnicodeString chars, Location location, int properties) throws XPathException {
            if (kept > 0) {
                super.characters(chars, location, properties);
            }
        }

        @Override
        public void comment(UnicodeString content, Location location, int properties) throws XPathException {
            if (kept > 0) {
                super.comment(content, location, properties);
            }
        }

        @Override
        public void processingInstruction(String target, UnicodeString data, Location location, int properties)
                throws XPathException {
            if (kept > 0) {
                super.processingInstruction(target, data, location, properties);
            }
        }

        @Override
        public void append(Item item, Location location, int copyNamespaces) throws XPathException {
            if (kept > 0 || depth == 0) {
                super.append(item, location, copyNamespaces);
            }
        }
    }
}
