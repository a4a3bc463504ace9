-- A sample application's own tables, unlike scimsync's directory_users:
-- its own key, column names and value conventions (docs/APPLICATION.md).
-- The tests replace @SCHEMA@ with a schema of their own and run this as
-- root; the grants to the scimsync account are theirs to make.
CREATE DATABASE @SCHEMA@ CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE @SCHEMA@.members (
  member_id INT AUTO_INCREMENT PRIMARY KEY,
  login     VARCHAR(255) NOT NULL UNIQUE,
  `first`   VARCHAR(100) NULL,
  `last`    VARCHAR(100) NULL,
  mail      VARCHAR(255) NULL,
  status    ENUM('active','suspended') NOT NULL,
  `rank`    ENUM('user','mod','admin') NOT NULL DEFAULT 'user',
  is_staff  TINYINT(1) NOT NULL DEFAULT 0,
  joined_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE @SCHEMA@.teams (
  team_id INT AUTO_INCREMENT PRIMARY KEY,
  name    VARCHAR(255) NOT NULL UNIQUE
);

CREATE TABLE @SCHEMA@.team_members (
  team_id   INT NOT NULL,
  member_id INT NOT NULL,
  PRIMARY KEY (team_id, member_id)
);
