-- The scimsync account's rights on the sample application's tables
-- (tests/data/app_schema.sql), as docs/APPLICATION.md asks of an
-- application; @SCHEMA@ as there.
GRANT SELECT, INSERT, UPDATE, DELETE ON @SCHEMA@.* TO 'scimsync'@'localhost';
