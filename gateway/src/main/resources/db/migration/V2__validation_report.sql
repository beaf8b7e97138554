-- The validation report of each invoice flow (JSON as the API and the CLI give it), written in
-- the same transaction as the flow's move to VALIDATED / REJECTED / FAILED.
CREATE TABLE validation_report (
    flow_id     VARCHAR(36)    PRIMARY KEY REFERENCES flow (id),
    processing  VARCHAR(20)    NOT NULL,
    verdict     VARCHAR(30),
    profile     VARCHAR(30),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    report      VARCHAR(1000000) NOT NULL
);
