-- scimsync schema, version 8: named leases, a lock that holds across hosts
-- and database nodes. GET_LOCK() is local to one server (one Galera node),
-- so two `scim-syncd reconcile` runs on two nodes would both go ahead: a
-- lease row is replicated like any write, and of two nodes taking it at
-- once the later commit fails certification. A lease expires unless its
-- holder renews it, so a crashed holder frees it. Read and written only by
-- common/db/leases.
CREATE TABLE scimsync_leases (
  name        VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,  -- reconcile
  holder      VARCHAR(190) NOT NULL,  -- host, pid and a random tag of the holder, empty when free
  acquired_at DATETIME(3) NULL,
  expires_at  DATETIME(3) NOT NULL,   -- free once past (database server's clock)
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
