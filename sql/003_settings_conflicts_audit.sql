-- scimsync schema, version 3: settings and role mappings (read by the
-- daemon, set with scimctl), conflicts between the IdP and local
-- deactivations, and the audit log.

-- One row per setting; a missing row means the default (see
-- common/sync/settings.h for the keys and defaults).
CREATE TABLE settings (
  name       VARCHAR(64) CHARACTER SET ascii NOT NULL,
  value      VARCHAR(255) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  updated_by VARCHAR(255) NULL,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- IdP role value (case-insensitive) -> directory role.
CREATE TABLE role_mappings (
  idp_value  VARCHAR(255) NOT NULL,
  role       ENUM('Registered','Moderator','Admin') NOT NULL,
  created_at DATETIME(3) NOT NULL,
  PRIMARY KEY (idp_value)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A user the IdP wants active while the application's admins deactivated
-- it locally. open_key = scim_id while open, NULL once resolved, so a user
-- has at most one open conflict.
CREATE TABLE sync_conflicts (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  scim_id         CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  open_key        CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NULL,
  user_name       VARCHAR(255) NOT NULL,
  idp_active      TINYINT(1) NOT NULL,
  local_active    TINYINT(1) NOT NULL,
  local_by        VARCHAR(255) NULL,
  local_reason    TEXT NULL,
  local_since     DATETIME(3) NULL,
  policy          VARCHAR(16) CHARACTER SET ascii NOT NULL,
  opened_at       DATETIME(3) NOT NULL,
  last_seen_at    DATETIME(3) NOT NULL,
  resolved_at     DATETIME(3) NULL,
  resolution      VARCHAR(255) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_sync_conflicts_open (open_key),
  KEY idx_sync_conflicts_scim_id (scim_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every SCIM write and admin action, and what the directory did with it.
-- Never a password or a token.
CREATE TABLE audit_log (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  at            DATETIME(3) NOT NULL,
  actor         VARCHAR(255) NOT NULL,
  request_id    VARCHAR(64) NULL,
  client        VARCHAR(64) NULL,
  resource_type VARCHAR(16) CHARACTER SET ascii NULL,
  resource_id   CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NULL,
  user_name     VARCHAR(255) NULL,
  operation     VARCHAR(64) NOT NULL,
  changes       TEXT NULL,
  outcome       VARCHAR(32) NOT NULL,
  detail        TEXT NULL,
  PRIMARY KEY (id),
  KEY idx_audit_log_at (at),
  KEY idx_audit_log_user (user_name, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
