package fr.passerelle.ops;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.slf4j.MDC;

/**
 * Puts the flow id and commune of the exchange (headers {@code PasserelleFlowId} and {@code PasserelleCommune},
 * set by the routes) into the logging MDC, keys {@code flowId} and {@code commune}, while each step of a route
 * runs, and puts back what was there after: every line a stage bean or a route's log step writes about a flow,
 * on the exchange's thread, carries them. Registered once in the Camel registry (Camel Main applies every
 * {@link InterceptStrategy} it finds there to every route).
 */
public final class FlowMdc implements InterceptStrategy {

    public static final String FLOW_ID = "flowId";
    public static final String COMMUNE = "commune";
    static final String FLOW_ID_HEADER = "PasserelleFlowId";
    static final String COMMUNE_HEADER = "PasserelleCommune";

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
            Processor nextTarget) {
        return new DelegateAsyncProcessor(target) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                String flowId = exchange.getMessage().getHeader(FLOW_ID_HEADER, String.class);
                if (flowId == null) {
                    return processor.process(exchange, callback);
                }
                String commune = exchange.getMessage().getHeader(COMMUNE_HEADER, String.class);
                String previousFlowId = MDC.get(FLOW_ID);
                String previousCommune = MDC.get(COMMUNE);
                put(FLOW_ID, flowId);
                put(COMMUNE, commune);
                try {
                    return processor.process(exchange, callback);
                } finally {
                    put(FLOW_ID, previousFlowId);
                    put(COMMUNE, previousCommune);
                }
            }

            @Override
            public String toString() {
                return "FlowMdc[" + processor + "]";
            }
        };
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
