package fr.passerelle.flow;

import java.time.OffsetDateTime;

/**
 * Filters for listing flows; null means "any". A commune's caller always has communeId set.
 * stalledSince: only flows in a non-final state that have not changed since then.
 */
public record FlowQuery(String communeId, FlowStatus status, String format, OffsetDateTime from,
                        OffsetDateTime to, OffsetDateTime stalledSince, int limit, int offset, String channel) {

    public static final int MAX_LIMIT = 1000;

    /** Any channel. */
    public FlowQuery(String communeId, FlowStatus status, String format, OffsetDateTime from, OffsetDateTime to,
                     OffsetDateTime stalledSince, int limit, int offset) {
        this(communeId, status, format, from, to, stalledSince, limit, offset, null);
    }

    public FlowQuery {
        limit = Math.max(1, Math.min(limit, MAX_LIMIT));
        offset = Math.max(0, offset);
    }
}
