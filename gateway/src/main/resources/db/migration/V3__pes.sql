-- PES stage: counters that never go back (IdUnique, NomFic), the PJ each invoice became, the
-- NomFic each commune used, and the files a stage produced for a flow (the signed PES).
CREATE TABLE counter (
    counter_name   VARCHAR(100) PRIMARY KEY,
    current_value  BIGINT       NOT NULL
);

-- one row per invoice packed as a PJ: its IdUnique is unique forever for its commune
CREATE TABLE pes_pj (
    invoice_flow_id  VARCHAR(36)  PRIMARY KEY REFERENCES flow (id),
    commune_id       VARCHAR(40)  NOT NULL,
    id_unique        VARCHAR(50)  NOT NULL,
    pes_flow_id      VARCHAR(36)  NOT NULL REFERENCES flow (id),
    CONSTRAINT pes_pj_unique UNIQUE (commune_id, id_unique)
);
CREATE INDEX pes_pj_flow ON pes_pj (pes_flow_id);

-- every NomFic a commune sent (built here or relayed): never twice
CREATE TABLE pes_nomfic (
    commune_id  VARCHAR(40)   NOT NULL,
    nom_fic     VARCHAR(100)  NOT NULL,
    flow_id     VARCHAR(36)   NOT NULL REFERENCES flow (id),
    PRIMARY KEY (commune_id, nom_fic)
);

-- PJ IdUniques carried by relayed flows, so that later mandates may reference them
CREATE TABLE pes_pj_known (
    commune_id  VARCHAR(40)  NOT NULL,
    id_unique   VARCHAR(50)  NOT NULL,
    flow_id     VARCHAR(36)  NOT NULL REFERENCES flow (id),
    PRIMARY KEY (commune_id, id_unique)
);

-- files a stage made for a flow, content-addressed in the originals store (kind: signed)
CREATE TABLE flow_artifact (
    flow_id     VARCHAR(36)  NOT NULL REFERENCES flow (id),
    kind        VARCHAR(20)  NOT NULL,
    sha256      CHAR(64)     NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (flow_id, kind)
);
