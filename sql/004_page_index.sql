-- scimsync schema, version 4: a narrow index on seq (the creation order)
-- of the SCIM view tables. The primary key is seq too, but InnoDB keeps
-- whole rows (with their JSON attributes) in it, so skipping 80,000 rows
-- for a deep page (startIndex=80001) read them all; this index holds only
-- seq, and pages skip through it, then read the 100 rows they return.
ALTER TABLE scim_users ADD KEY idx_scim_users_seq (seq);
ALTER TABLE scim_groups ADD KEY idx_scim_groups_seq (seq);
