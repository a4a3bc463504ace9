-- scimsync schema, version 1: the SCIM view, the change queue, the target
-- directory and bearer tokens. Forward-only: never edit once merged; add
-- 002_… instead. One statement per ';' at the end of a line.

-- The SCIM view of users: what the IdP last wrote. `attributes` holds the
-- normalised SCIM JSON; the other columns are derived from it for lookups.
CREATE TABLE scim_users (
  seq              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  id               CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  user_name        VARCHAR(255) NOT NULL,             -- case-insensitive (table collation)
  external_id      VARCHAR(255) COLLATE utf8mb4_bin NULL, -- caseExact (RFC 7643 §3.1)
  display_name     VARCHAR(255) NULL,
  given_name       VARCHAR(255) NULL,
  family_name      VARCHAR(255) NULL,
  email            VARCHAR(255) NULL,
  user_type        VARCHAR(64) NULL,
  active           TINYINT(1) NOT NULL DEFAULT 1,
  version          BIGINT NOT NULL,
  created_ms       BIGINT NOT NULL,
  last_modified_ms BIGINT NOT NULL,
  attributes       LONGTEXT NOT NULL,
  PRIMARY KEY (seq),
  UNIQUE KEY uq_scim_users_id (id),
  UNIQUE KEY uq_scim_users_user_name (user_name),
  KEY idx_scim_users_external_id (external_id),
  KEY idx_scim_users_display_name (display_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every accepted change, as the full state after it (see daemon/change.cc).
-- Written in the same transaction as the SCIM view; drained by scim-syncd.
CREATE TABLE change_queue (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  resource_type   VARCHAR(16) CHARACTER SET ascii NOT NULL,   -- User | Group
  resource_id     CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  version         BIGINT NOT NULL,
  op              VARCHAR(16) CHARACTER SET ascii NOT NULL,   -- upsert | delete
  payload         LONGTEXT NOT NULL,
  status          ENUM('pending','done','dead') NOT NULL DEFAULT 'pending',
  attempts        INT NOT NULL DEFAULT 0,
  last_error      TEXT NULL,
  created_at      DATETIME(3) NOT NULL,
  next_attempt_at DATETIME(3) NOT NULL,
  done_at         DATETIME(3) NULL,
  PRIMARY KEY (id),
  KEY idx_change_queue_claim (status, id),
  KEY idx_change_queue_resource (resource_type, resource_id, version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The target user directory: the application's own user store. Users may
-- exist here without SCIM (scim_id NULL); admins may deactivate them locally.
CREATE TABLE directory_users (
  id                   BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  scim_id              CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NULL,
  user_name            VARCHAR(255) NOT NULL,
  given_name           VARCHAR(255) NULL,
  family_name          VARCHAR(255) NULL,
  display_name         VARCHAR(255) NULL,
  email                VARCHAR(255) NULL,
  role                 ENUM('Registered','Moderator','Admin') NOT NULL DEFAULT 'Registered',
  active               TINYINT(1) NOT NULL DEFAULT 1,
  local_deactivated_by VARCHAR(255) NULL,
  local_deactivated_at DATETIME(3) NULL,
  local_deactivation_reason TEXT NULL,
  scim_version         BIGINT NOT NULL DEFAULT 0,   -- last SCIM version applied
  created_at           DATETIME(3) NOT NULL,
  updated_at           DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_directory_users_user_name (user_name),
  UNIQUE KEY uq_directory_users_scim_id (scim_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Bearer tokens: only the SHA-256 of each is stored. Several may be active
-- at once (rotation); expiry and revocation are columns, not deletions.
CREATE TABLE api_tokens (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name          VARCHAR(128) NOT NULL,
  token_hash    CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  created_at    DATETIME(3) NOT NULL,
  created_by    VARCHAR(255) NULL,
  expires_at    DATETIME(3) NULL,
  last_used_at  DATETIME(3) NULL,
  revoked_at    DATETIME(3) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_api_tokens_hash (token_hash),
  KEY idx_api_tokens_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
