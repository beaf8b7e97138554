-- Crash recovery: a flow in a state that a stage must act on (RECEIVED, PACKED / BLOCKED PES flows,
-- SIGNED) is woken again by the recovery sweep once wake_at has passed (NULL: updated_at plus the
-- grace). A flow that waits on purpose (a treasury window, a quota) says until when.
ALTER TABLE flow ADD COLUMN wake_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE flow ADD COLUMN waiting_until TIMESTAMP WITH TIME ZONE;
CREATE INDEX flow_status_updated ON flow (status, updated_at);
-- the deadline replaces the hand-off flag of V1
DROP INDEX flow_status_handoff;
ALTER TABLE flow DROP COLUMN handed_off;
