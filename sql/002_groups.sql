-- scimsync schema, version 2: SCIM groups and memberships, and their
-- counterparts in the target directory.

-- The SCIM view of groups; members are rows of scim_group_members so that
-- adding or removing one member costs the same in a group of any size.
CREATE TABLE scim_groups (
  seq              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  id               CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  display_name     VARCHAR(255) NOT NULL,
  external_id      VARCHAR(255) COLLATE utf8mb4_bin NULL,
  version          BIGINT NOT NULL,
  created_ms       BIGINT NOT NULL,
  last_modified_ms BIGINT NOT NULL,
  attributes       LONGTEXT NOT NULL,
  PRIMARY KEY (seq),
  UNIQUE KEY uq_scim_groups_id (id),
  KEY idx_scim_groups_display_name (display_name),
  KEY idx_scim_groups_external_id (external_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE scim_group_members (
  group_id    CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  member_id   CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  member_type ENUM('User','Group') NOT NULL,
  PRIMARY KEY (group_id, member_id),
  KEY idx_scim_group_members_member (member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Lookups and sorting on the user view.
CREATE INDEX idx_scim_users_given_name ON scim_users (given_name);
CREATE INDEX idx_scim_users_family_name ON scim_users (family_name);
CREATE INDEX idx_scim_users_last_modified ON scim_users (last_modified_ms);
CREATE INDEX idx_scim_groups_last_modified ON scim_groups (last_modified_ms);

-- The target directory's groups (the application's own), kept in step by
-- scim-syncd.
CREATE TABLE directory_groups (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  scim_id      CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  display_name VARCHAR(255) NOT NULL,
  scim_version BIGINT NOT NULL DEFAULT 0,
  created_at   DATETIME(3) NOT NULL,
  updated_at   DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_directory_groups_scim_id (scim_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE directory_group_members (
  group_scim_id  CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  member_scim_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  member_type    ENUM('User','Group') NOT NULL,
  PRIMARY KEY (group_scim_id, member_scim_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
