-- scimsync schema, version 7: the admin console's server secret (the key of
-- its CSRF tokens, HMAC-SHA256 of the admin's name). One row, drawn by the
-- first worker that needs it (INSERT IGNORE, so workers racing agree on the
-- one stored). Written and read only by common/db/console_secret.
CREATE TABLE console_secret (
  id         TINYINT UNSIGNED NOT NULL,  -- always 1
  secret     CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,  -- 32 random bytes, hex
  created_at DATETIME(3) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
