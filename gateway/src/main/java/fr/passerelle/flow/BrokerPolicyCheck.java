package fr.passerelle.flow;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.activemq.artemis.api.config.ActiveMQDefaultConfiguration;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientRequestor;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.api.core.management.ManagementHelper;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.passerelle.settings.Settings;
import fr.passerelle.tenant.Commune;

/**
 * On an external broker, the redelivery limit of the treasury queues is the broker's
 * (max-delivery-attempts of the address settings matching passerelle.treasury.<IdPost>), not the
 * gateway's. The delivery marks a flow FAILED at its own last attempt
 * (passerelle.treasury.max-attempts); a broker that gives up first dead-letters the message and
 * the flow stays SIGNED with no FAILED notice. So at start the gateway asks the broker (management
 * operation getAddressSettingsAsJSON on activemq.management: the user needs the manage permission)
 * and refuses to start unless the broker's limit is greater than its own. An unlimited broker
 * (-1) is accepted: the gateway's last attempt then ends the message.
 */
public final class BrokerPolicyCheck {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerPolicyCheck.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_MS = 10_000;

    private BrokerPolicyCheck() {
    }

    /**
     * Checks every poste comptable's treasury queue of the configured communes against
     * passerelle.treasury.max-attempts; throws with what to change when they disagree or when the
     * broker cannot be asked.
     */
    public static void verify(Settings settings, Collection<Commune> communes) {
        String url = settings.get("passerelle.broker.url");
        int gatewayMax = settings.getInt("passerelle.treasury.max-attempts");
        TreeSet<String> addresses = new TreeSet<>();
        communes.forEach(c -> addresses.add("passerelle.treasury." + c.idPost()));
        if (addresses.isEmpty()) {
            addresses.add("passerelle.treasury.check"); // no commune yet: what a poste's queue would get
        }
        Map<String, String> answers;
        try {
            answers = addressSettings(url, settings.get("passerelle.broker.user", ""),
                    settings.get("passerelle.broker.password", ""), addresses);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the redelivery settings of " + String.join(", ", addresses)
                    + " from the broker at " + url + " (" + e.getMessage() + "): the gateway checks them at start; its "
                    + "user (passerelle.broker.user) needs the 'manage' permission on activemq.management "
                    + "(docker/artemis/broker.xml gives it)", e);
        }
        for (String address : addresses) {
            int brokerMax = maxDeliveryAttempts(answers.get(address));
            problem(address, brokerMax, gatewayMax).ifPresent(message -> {
                throw new IllegalStateException(message);
            });
            LOG.info("Broker at {}: {} delivered up to {} times, the gateway marks a flow FAILED at attempt {}", url,
                    address, brokerMax < 0 ? "unlimited" : brokerMax, gatewayMax);
        }
    }

    /**
     * The max-delivery-attempts of an address-settings JSON as Artemis answers it; the broker's
     * default (10) when no matching setting sets it.
     */
    public static int maxDeliveryAttempts(String addressSettingsJson) {
        JsonNode settings;
        try {
            settings = JSON.readTree(addressSettingsJson);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the broker's address settings are not JSON: " + addressSettingsJson, e);
        }
        if (settings == null || !settings.isObject()) {
            throw new IllegalArgumentException("the broker's address settings are not a JSON object: " + addressSettingsJson);
        }
        JsonNode max = settings.get("maxDeliveryAttempts");
        if (max == null || max.isNull()) {
            return AddressSettings.DEFAULT_MAX_DELIVERY_ATTEMPTS;
        }
        if (!max.canConvertToInt()) {
            throw new IllegalArgumentException("maxDeliveryAttempts is not a number: " + max);
        }
        return max.asInt();
    }

    /** What is wrong when the broker gives up on the address before the gateway's last attempt. */
    public static Optional<String> problem(String address, int brokerMax, int gatewayMax) {
        if (brokerMax < 0 || brokerMax > gatewayMax) {
            return Optional.empty();
        }
        return Optional.of("The broker delivers a message of " + address + " at most " + brokerMax + " time(s) "
                + "(max-delivery-attempts), but the gateway marks a flow FAILED only at its attempt " + gatewayMax
                + " (passerelle.treasury.max-attempts): the broker would dead-letter the message first and the flow "
                + "would stay SIGNED with no FAILED notice. Set max-delivery-attempts to " + (gatewayMax + 1)
                + " or more in the broker's address-setting for passerelle.treasury.# (docker/artemis/broker.xml), "
                + "or lower passerelle.treasury.max-attempts below " + brokerMax + ".");
    }

    /** The broker's address settings for an address, through its management address (core protocol). */
    public static String addressSettings(String url, String user, String password, String address) throws Exception {
        return addressSettings(url, user, password, List.of(address)).get(address);
    }

    /** The broker's address settings for each address, in one session on its management address. */
    static Map<String, String> addressSettings(String url, String user, String password, Collection<String> addresses)
            throws Exception {
        Map<String, String> answers = new LinkedHashMap<>();
        try (ServerLocator locator = ActiveMQClient.createServerLocator(url)) {
            locator.setCallTimeout(TIMEOUT_MS);
            locator.setCallFailoverTimeout(TIMEOUT_MS);
            try (ClientSessionFactory factory = locator.createSessionFactory();
                 ClientSession session = factory.createSession(user.isEmpty() ? null : user,
                         password.isEmpty() ? null : password, false, true, true, false, 0)) {
                session.start();
                try (ClientRequestor requestor = new ClientRequestor(session,
                        ActiveMQDefaultConfiguration.getDefaultManagementAddress())) {
                    for (String address : addresses) {
                        ClientMessage request = session.createMessage(false);
                        ManagementHelper.putOperationInvocation(request, ResourceNames.BROKER,
                                "getAddressSettingsAsJSON", address);
                        ClientMessage reply = requestor.request(request, TIMEOUT_MS);
                        if (reply == null) {
                            throw new IllegalStateException("no answer from the management address within "
                                    + TIMEOUT_MS / 1000 + " s");
                        }
                        Object result = ManagementHelper.getResult(reply, String.class);
                        if (!ManagementHelper.hasOperationSucceeded(reply)) {
                            throw new IllegalStateException("management operation refused: " + result);
                        }
                        answers.put(address, String.valueOf(result));
                    }
                }
            }
        }
        return answers;
    }
}
