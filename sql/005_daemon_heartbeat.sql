-- scimsync schema, version 5: the daemons' heartbeats, read by
-- `scimctl status`. Each scim-syncd process (loop, --once or reconcile)
-- owns one row, keyed by an id it draws at start, so daemons on several
-- hosts never overwrite each other. Times are the server's NOW(3), so
-- hosts' clocks never matter. Written only by common/db/daemon_heartbeats.
CREATE TABLE daemon_heartbeats (
  daemon_id     CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,  -- random UUID per start
  host          VARCHAR(255) NOT NULL,
  pid           INT NOT NULL,
  mode          VARCHAR(16) CHARACTER SET ascii NOT NULL,  -- loop | once | reconcile
  started_at    DATETIME(3) NOT NULL,
  last_seen_at  DATETIME(3) NOT NULL,                       -- at most a few seconds old while alive
  last_batch_at DATETIME(3) NULL,                           -- the last batch that claimed rows
  batches       BIGINT NOT NULL DEFAULT 0,                  -- batches that claimed rows
  rows_applied  BIGINT NOT NULL DEFAULT 0,
  rows_failed   BIGINT NOT NULL DEFAULT 0,                  -- retried or dead
  stopped_at    DATETIME(3) NULL,                           -- set on a clean exit
  PRIMARY KEY (daemon_id),
  KEY idx_daemon_heartbeats_last_seen (last_seen_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
