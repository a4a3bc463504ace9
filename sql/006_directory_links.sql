-- scimsync schema, version 6: what scimsync remembers about the
-- application's users and groups lives in its own tables (DESIGN §5a), so
-- the application's tables need no column for it. The bundled directory
-- tables (the embedded default mapping) lose their scimsync columns: they
-- now look like any application's tables.

-- One row per application user scimsync knows: the SCIM id it has, the
-- state scimsync last applied to (or first saw in) the row, and the local
-- deactivation the application made. app_key is the row's directory.key
-- value as text. A link whose scim_id is no longer in scim_users is a
-- retired user (deleted in SCIM, kept in the application).
CREATE TABLE directory_links (
  app_key                   VARCHAR(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  scim_id                   CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  applied_version           BIGINT NOT NULL DEFAULT 0,   -- the SCIM version last applied
  applied_active            TINYINT(1) NOT NULL,         -- active as scimsync last wrote or saw it
  applied_role              VARCHAR(16) CHARACTER SET ascii NULL,  -- Registered|Moderator|Admin
  local_deactivated_by      VARCHAR(255) NULL,
  local_deactivated_at      DATETIME(3) NULL,
  local_deactivation_reason TEXT NULL,
  linked_at                 DATETIME(3) NOT NULL,
  linked_by                 VARCHAR(16) CHARACTER SET ascii NOT NULL,  -- create|adopt|takeover|migration
  PRIMARY KEY (app_key),
  UNIQUE KEY uq_directory_links_scim_id (scim_id),
  KEY idx_directory_links_local (local_deactivated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Accounts an admin marked protected (scimctl user protect): invisible to
-- SCIM and never changed by it (break-glass local admins).
CREATE TABLE directory_protected (
  app_key      VARCHAR(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  user_name    VARCHAR(255) NOT NULL,
  protected_by VARCHAR(255) NOT NULL,
  protected_at DATETIME(3) NOT NULL,
  reason       TEXT NULL,
  PRIMARY KEY (app_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The application's groups scimsync made or keeps, by SCIM id.
CREATE TABLE directory_group_links (
  scim_id         CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  app_key         VARCHAR(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  applied_version BIGINT NOT NULL DEFAULT 0,
  linked_at       DATETIME(3) NOT NULL,
  PRIMARY KEY (scim_id),
  UNIQUE KEY uq_directory_group_links_app_key (app_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO directory_links (app_key, scim_id, applied_version, applied_active, applied_role,
  local_deactivated_by, local_deactivated_at, local_deactivation_reason, linked_at, linked_by)
  SELECT CAST(id AS CHAR), scim_id, scim_version, active, role, local_deactivated_by,
         local_deactivated_at, local_deactivation_reason, NOW(3), 'migration'
  FROM directory_users WHERE scim_id IS NOT NULL;

INSERT INTO directory_group_links (scim_id, app_key, applied_version, linked_at)
  SELECT scim_id, CAST(id AS CHAR), scim_version, NOW(3) FROM directory_groups;

-- Memberships by the tables' keys, as an application keeps them. Nested
-- groups are not members in an application's table: only users move.
CREATE TABLE directory_group_members_by_key (
  group_id BIGINT UNSIGNED NOT NULL,
  user_id  BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (group_id, user_id),
  KEY idx_directory_group_members_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO directory_group_members_by_key (group_id, user_id)
  SELECT g.id, u.id FROM directory_group_members m
  JOIN directory_groups g ON g.scim_id = m.group_scim_id
  JOIN directory_users u ON u.scim_id = m.member_scim_id;

DROP TABLE directory_group_members;

RENAME TABLE directory_group_members_by_key TO directory_group_members;

ALTER TABLE directory_users DROP KEY uq_directory_users_scim_id, DROP COLUMN scim_id,
  DROP COLUMN local_deactivated_by, DROP COLUMN local_deactivated_at,
  DROP COLUMN local_deactivation_reason, DROP COLUMN scim_version;

-- Timestamps the table keeps itself (the group mapping has no key for them).
ALTER TABLE directory_groups DROP KEY uq_directory_groups_scim_id, DROP COLUMN scim_id,
  DROP COLUMN scim_version,
  MODIFY created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  MODIFY updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3);
