-- The web console's accounts (operators see every commune, accountants one) and their sessions,
-- in the shared database so that any node serves a signed-in user.
CREATE TABLE console_account (
    login           VARCHAR(100)  PRIMARY KEY,
    password_hash   VARCHAR(200)  NOT NULL,
    role            VARCHAR(20)   NOT NULL,
    commune_id      VARCHAR(40),
    failed_sign_ins INT           NOT NULL DEFAULT 0,
    locked_until    TIMESTAMP WITH TIME ZONE,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE console_session (
    -- the SHA-256 of the cookie's value: a copy of the database opens no session
    id_hash         CHAR(64)      PRIMARY KEY,
    login           VARCHAR(100)  NOT NULL REFERENCES console_account (login),
    csrf_token      VARCHAR(64)   NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
